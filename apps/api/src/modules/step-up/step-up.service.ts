import { STEP_UP_REQUIRED, type ReauthMethod, type ReauthRequest, type StepUpStatus } from '@passman/contracts';
import type { Tx } from '../../db/transaction.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import { AppError } from '../../lib/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import { throttleSubject, type LoginThrottle } from '../auth/index.js';
import type { ReauthMethods } from './reauth-methods.js';
import type { StepUpRepo } from './step-up.repo.js';

const sessionOf = (ctx: RequestContext): Actor & { sessionId: string } => {
  const actor = ctx.actor;
  if (actor?.kind !== 'session' || !actor.sessionId) throw new AppError('FORBIDDEN', 'Only a browser session re-authenticates; API tokens are never asked to');
  return actor as Actor & { sessionId: string };
};

/**
 * Step-up re-authentication: the one rule that a sensitive action, asked for with a browser
 * session, needs that session's last login or re-authentication to be within the step-up window.
 * Services call `require` after their own authorization, so a caller without the right gets its
 * 403 or 404, never a prompt that would tell it the action was otherwise allowed.
 */
export function createStepUpService(deps: {
  repo: StepUpRepo;
  methods: ReauthMethods;
  throttle: LoginThrottle;
  audit: AuditService;
  /** The step-up window in force; read in `tx` when given. */
  windowSeconds: (tx?: Tx) => Promise<number>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  /** The session's proof times and the window, read in `tx` when given. */
  async function proofOf(actor: Actor & { sessionId: string }, tx?: Tx) {
    // In the caller's transaction when it has one: a second connection from the pool while the
    // transaction holds one could wait forever when every connection is such a transaction.
    const repo = tx ? deps.repo.within(tx) : deps.repo;
    const times = await repo.proofTimes(actor.sessionId);
    const windowSeconds = await deps.windowSeconds(tx);
    if (!times) throw new AppError('UNAUTHENTICATED', 'Your session has ended');
    const freshUntil = new Date(times.authenticatedAt.getTime() + windowSeconds * 1000);
    return { ...times, windowSeconds, freshUntil, fresh: now().getTime() < freshUntil.getTime() };
  }

  async function status(actor: Actor & { sessionId: string }, tx?: Tx): Promise<StepUpStatus> {
    const proof = await proofOf(actor, tx);
    return {
      authenticatedAt: proof.authenticatedAt.toISOString(),
      freshUntil: proof.freshUntil.toISOString(),
      fresh: proof.fresh,
      secondFactorAt: proof.secondFactorAt?.toISOString() ?? null,
      windowSeconds: proof.windowSeconds,
      methods: await deps.methods.methodsOf(actor.userId, tx),
    };
  }

  const stepUpRequired = (windowSeconds: number, methods: ReauthMethod[]) =>
    new AppError(
      STEP_UP_REQUIRED,
      methods.includes('password')
        ? 'Confirm it is you: enter your password again, then repeat the action'
        : 'Confirm it is you with your second factor, then repeat the action',
      { details: { windowSeconds, methods } },
    );

  return {
    /**
     * Throws STEP_UP_REQUIRED unless the session authenticated within the window. API tokens are
     * the non-interactive path: nobody is there to type a password, so they pass. A caller inside
     * a transaction passes it as `tx`.
     */
    async require(ctx: RequestContext, tx?: Tx): Promise<void> {
      const actor = ctx.actor;
      if (actor?.kind !== 'session' || !actor.sessionId) return;
      const session = actor as Actor & { sessionId: string };
      // The fresh path reads only the session: the methods are looked up for a refusal alone.
      const proof = await proofOf(session, tx);
      if (proof.fresh) return;
      throw stepUpRequired(proof.windowSeconds, await deps.methods.methodsOf(session.userId, tx));
    },

    /**
     * `require`, and for a user with a confirmed second factor, that this session proved one
     * within the window (a password alone is not enough): its STEP_UP_REQUIRED lists only the
     * second factors. Users without a factor get `require`'s rule. API tokens pass.
     */
    async requireSecondFactor(ctx: RequestContext, tx?: Tx): Promise<void> {
      const actor = ctx.actor;
      if (actor?.kind !== 'session' || !actor.sessionId) return;
      const current = await status(actor as Actor & { sessionId: string }, tx);
      const secondFactors = current.methods.filter((m) => m !== 'password');
      if (secondFactors.length === 0) {
        if (current.fresh) return;
        throw stepUpRequired(current.windowSeconds, current.methods);
      }
      const provenAt = current.secondFactorAt ? new Date(current.secondFactorAt).getTime() : null;
      if (provenAt !== null && now().getTime() < provenAt + current.windowSeconds * 1000) return;
      throw stepUpRequired(current.windowSeconds, secondFactors);
    },

    status: (ctx: RequestContext) => status(sessionOf(ctx)),

    /** Checks the proof; a failure is audited and counted by the login throttle, and leaves the session as it was. */
    async reauthenticate(ctx: RequestContext, request: ReauthRequest): Promise<StepUpStatus> {
      const actor = sessionOf(ctx);
      const user = await deps.repo.userForReauth(actor.userId);
      if (!user || user.disabledAt) throw new AppError('UNAUTHENTICATED', 'Your session has ended');
      const attempt = await deps.throttle.admit(throttleSubject(user.username, user.id), ctx.ip);
      const proven = await deps.methods.verify(ctx, user, request);
      const ok = proven !== null;
      const marked = ok && (await deps.repo.markAuthenticated(actor.sessionId, user.id, user.passwordHash, now(), proven !== 'password'));
      if (!marked) {
        await deps.audit.record(ctx, {
          action: 'auth.reauth',
          objectType: 'session',
          objectId: actor.sessionId,
          outcome: 'failure',
          details: { method: request.method, reason: ok ? 'changed-during-reauth' : 'wrong-proof' },
        });
        await attempt.failed();
        throw new AppError('STEP_UP_FAILED', request.method === 'password' ? 'Wrong password' : 'The confirmation was not accepted');
      }
      await attempt.succeeded();
      await deps.audit.record(ctx, { action: 'auth.reauth', objectType: 'session', objectId: actor.sessionId, details: { method: proven } });
      return status(actor);
    },

    /** Options to sign a step-up with one of the session user's passkeys (the MFA module stores the challenge). */
    webAuthnOptions: (ctx: RequestContext) => deps.methods.webAuthnOptions(sessionOf(ctx).userId),
  };
}

export type StepUpService = ReturnType<typeof createStepUpService>;

/** What a service of a sensitive action needs: the guard alone. */
export type StepUpGuard = Pick<StepUpService, 'require' | 'requireSecondFactor'>;
