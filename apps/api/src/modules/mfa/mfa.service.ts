import type { MfaPolicy, RegisterWebAuthnRequest, SecondFactorProof } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { randomUUID } from 'node:crypto';
import { AppError, notFound } from '../../lib/app-error.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import type { LoginThrottle } from '../auth/login-throttle.js';
import { hashToken } from '../auth/secret-tokens.js';
import type { SessionCache } from '../auth/session-cache.js';
import { enrolmentState, MFA_POLICY_SETTING, parseStoredPolicy, type StoredMfaPolicy } from './mfa-policy.js';
import { presentFactor } from './mfa.presenter.js';
import type { MfaRepo, MfaRepoInTx } from './mfa.repo.js';
import { hashRecoveryCode, newRecoveryCodes } from './recovery-codes.js';
import { signedChallengeOf, type SecondFactorService } from './second-factor.service.js';
import { matchTotpStep, newTotpSecret, openTotpSecret, sealTotpSecret, totpEnrolmentUris } from './totp.js';
import { registrationOptions, verifyRegistration, type WebAuthnRelyingParty } from './webauthn.js';

/** How long one process trusts the policy it read: a change made through another process is seen this late. */
const POLICY_CACHE_MS = 5_000;

/** Enrolling, naming and removing factors is for a person at a browser: a stolen API token must not add or remove one. */
function requireSession(actor: Actor): void {
  if (actor.kind !== 'session') throw new AppError('MFA_SESSION_REQUIRED', 'Second factors are managed in a browser session, not with an API token');
}

/** A user's own second factors and recovery codes, the MFA policy, and an admin's reset of a user's factors. */
export function createMfaService(deps: {
  repo: MfaRepo;
  vault: Vault;
  audit: AuditService;
  throttle: LoginThrottle;
  rp: WebAuthnRelyingParty;
  secondFactor: SecondFactorService;
  sessionCache: SessionCache;
  /** The issuer name authenticator apps show. */
  issuer?: string;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const issuer = deps.issuer ?? 'PassMan';
  let policyCache: { value: StoredMfaPolicy; at: number } | null = null;

  async function policy(): Promise<StoredMfaPolicy> {
    const t = Date.now();
    if (policyCache && t - policyCache.at < POLICY_CACHE_MS) return policyCache.value;
    const value = parseStoredPolicy(await deps.repo.getSetting(MFA_POLICY_SETTING));
    policyCache = { value, at: t };
    return value;
  }

  async function stateOf(userId: string, hasFactor: boolean) {
    const current = await policy();
    const user = await deps.repo.findUser(userId);
    if (!user) throw notFound('User');
    const groupIds = current.mode === 'selected' && current.groupIds.length > 0 ? await deps.repo.groupIdsOf(userId) : [];
    return enrolmentState(current, { roleName: user.roleName, createdAt: user.createdAt, groupIds }, hasFactor, now());
  }

  async function summary(userId: string) {
    const factors = await deps.repo.confirmedFactors(userId);
    return {
      factors: factors.map(presentFactor),
      recoveryCodesLeft: await deps.repo.countUnusedRecoveryCodes(userId),
      policy: await stateOf(userId, factors.length > 0),
    };
  }

  /** Recovery codes come with the first factor; a user who has some keeps them. */
  async function issueCodesIfFirst(repo: MfaRepoInTx, userId: string): Promise<string[] | null> {
    if ((await repo.countConfirmed(userId)) > 1 || (await repo.countUnusedRecoveryCodes(userId)) > 0) return null;
    const codes = newRecoveryCodes();
    await repo.replaceRecoveryCodes(userId, codes.map(hashRecoveryCode));
    return codes;
  }

  const factorOf = async (actor: Actor, id: string) => {
    const row = await deps.repo.findFactorOfUser(id, actor.userId);
    if (!row) throw notFound('Factor');
    return row;
  };

  return {
    status: (ctx: RequestContext) => summary(ctx.actor!.userId),

    /**
     * True when this request's user must enrol a second factor before anything else (the
     * policy applies, the grace period is over, and none is enrolled). API tokens are the
     * non-interactive path: never gated.
     */
    async enrolmentRequired(actor: Actor): Promise<boolean> {
      if (actor.kind !== 'session' || (await policy()).mode === 'off') return false;
      return (await stateOf(actor.userId, (await deps.repo.countConfirmed(actor.userId)) > 0)).enrolmentRequired;
    },

    async startTotp(ctx: RequestContext, name: string | undefined) {
      const actor = ctx.actor!;
      requireSession(actor);
      const secret = newTotpSecret();
      const factorId = randomUUID();
      await deps.repo.transaction(async (repo) => {
        await repo.deletePendingTotp(actor.userId);
        await repo.createTotpFactorWithId(factorId, {
          userId: actor.userId,
          name: name ?? 'Authenticator app',
          ...sealTotpSecret(deps.vault, factorId, secret),
        });
      });
      return { factorId, secret, ...(await totpEnrolmentUris(secret, issuer, actor.username)) };
    },

    async confirmTotp(ctx: RequestContext, factorId: string, code: string) {
      const actor = ctx.actor!;
      requireSession(actor);
      const factor = await factorOf(actor, factorId);
      if (factor.kind !== 'totp' || factor.confirmedAt) throw notFound('Pending authenticator enrolment');
      const attempt = await deps.throttle.admit(`mfa:${actor.userId}`, ctx.ip);
      const at = now();
      const step = await matchTotpStep(openTotpSecret(deps.vault, factor), code, at);
      const result = await deps.repo.transaction(async (repo, tx) => {
        if (step === null || !(await repo.acceptTimeStep(factor.id, step, at, true))) return null;
        const recoveryCodes = await issueCodesIfFirst(repo, actor.userId);
        await deps.audit.record(
          ctx,
          { action: 'mfa.totp.enrol', objectType: 'user', objectId: actor.userId, details: { factorId: factor.id, name: factor.name } },
          tx,
        );
        return { recoveryCodes };
      });
      if (!result) {
        await attempt.failed();
        throw new AppError('MFA_CODE_INVALID', 'That code is wrong: check the time on your phone and type the code shown now');
      }
      await attempt.succeeded();
      const confirmed = await factorOf(actor, factor.id);
      return { factor: presentFactor(confirmed), recoveryCodes: result.recoveryCodes };
    },

    async webAuthnRegistrationOptions(ctx: RequestContext) {
      const actor = ctx.actor!;
      requireSession(actor);
      const existing = (await deps.repo.confirmedFactors(actor.userId)).filter((f) => f.kind === 'webauthn' && f.credentialId);
      const options = await registrationOptions(
        deps.rp,
        { id: actor.userId, username: actor.username, displayName: actor.displayName },
        existing.map((f) => ({ credentialId: f.credentialId!, transports: f.transports })),
      );
      await deps.secondFactor.newRegistrationChallenge(actor.userId, options.challenge);
      return options;
    },

    async registerWebAuthn(ctx: RequestContext, input: RegisterWebAuthnRequest) {
      const actor = ctx.actor!;
      requireSession(actor);
      const signed = signedChallengeOf(input.credential);
      const challenge = signed ? await deps.repo.findChallenge(hashToken(signed), 'webauthn-registration', now()) : null;
      // Another user's registration challenge is as good as none.
      if (!challenge || challenge.userId !== actor.userId || !challenge.webauthnChallenge || !(await deps.repo.consumeChallenge(challenge.id, now()))) {
        throw new AppError('MFA_CHALLENGE_INVALID', 'The passkey registration expired or was used already: start again');
      }
      const credential = await verifyRegistration(deps.rp, input.credential, challenge.webauthnChallenge);
      if (!credential) throw new AppError('MFA_CODE_INVALID', 'The authenticator’s answer could not be verified');
      const at = now();
      return deps.repo.transaction(async (repo, tx) => {
        if (await repo.findWebAuthnFactor(credential.credentialId)) throw new AppError('ALREADY_EXISTS', 'This authenticator is registered already');
        const row = await repo.createWebAuthnFactor({ userId: actor.userId, name: input.name, confirmedAt: at, ...credential });
        const recoveryCodes = await issueCodesIfFirst(repo, actor.userId);
        await deps.audit.record(
          ctx,
          { action: 'mfa.webauthn.register', objectType: 'user', objectId: actor.userId, details: { factorId: row.id, name: row.name } },
          tx,
        );
        return { factor: presentFactor(row), recoveryCodes };
      });
    },

    async rename(ctx: RequestContext, id: string, name: string) {
      const actor = ctx.actor!;
      requireSession(actor);
      const factor = await factorOf(actor, id);
      if (!factor.confirmedAt) throw notFound('Factor');
      return deps.repo.transaction(async (repo, tx) => {
        const row = await repo.renameFactor(id, name);
        await deps.audit.record(
          ctx,
          { action: 'mfa.factor.rename', objectType: 'user', objectId: actor.userId, details: { factorId: id, before: factor.name, after: name } },
          tx,
        );
        return presentFactor(row);
      });
    },

    async remove(ctx: RequestContext, id: string) {
      const actor = ctx.actor!;
      requireSession(actor);
      const factor = await factorOf(actor, id);
      await deps.repo.transaction(async (repo, tx) => {
        await repo.lockUser(actor.userId);
        const others = (await repo.confirmedFactors(actor.userId)).filter((f) => f.id !== id);
        if (factor.confirmedAt && others.length === 0 && (await stateOf(actor.userId, false)).required) {
          throw new AppError('MFA_FACTOR_REQUIRED', 'The MFA policy requires a second factor: add another before removing this one');
        }
        await repo.deleteFactor(id);
        // Without any factor, recovery codes have nothing to recover.
        if (others.length === 0) await repo.replaceRecoveryCodes(actor.userId, []);
        await deps.audit.record(
          ctx,
          { action: 'mfa.factor.remove', objectType: 'user', objectId: actor.userId, details: { factorId: id, kind: factor.kind, name: factor.name } },
          tx,
        );
      });
    },

    async regenerateRecoveryCodes(ctx: RequestContext) {
      const actor = ctx.actor!;
      requireSession(actor);
      const codes = newRecoveryCodes();
      await deps.repo.transaction(async (repo, tx) => {
        if ((await repo.countConfirmed(actor.userId)) === 0) throw new AppError('CONFLICT', 'Enrol a second factor first');
        await repo.replaceRecoveryCodes(actor.userId, codes.map(hashRecoveryCode));
        await deps.audit.record(ctx, { action: 'mfa.recovery-codes.regenerate', objectType: 'user', objectId: actor.userId }, tx);
      });
      return { codes };
    },

    async getPolicy() {
      const { since, ...rest } = parseStoredPolicy(await deps.repo.getSetting(MFA_POLICY_SETTING));
      return { ...rest, since };
    },

    async setPolicy(ctx: RequestContext, input: MfaPolicy) {
      const groupIds = [...new Set(input.groupIds)];
      const found = await deps.repo.existingGroupIds(groupIds);
      const missing = groupIds.filter((g) => !found.includes(g));
      if (missing.length > 0) throw new AppError('UNPROCESSABLE', `Unknown groups: ${missing.join(', ')}`);
      const next: StoredMfaPolicy = { mode: input.mode, roles: [...new Set(input.roles)], groupIds, graceDays: input.graceDays, since: now().toISOString() };
      await deps.repo.transaction(async (repo, tx) => {
        const before = parseStoredPolicy(await repo.getSetting(MFA_POLICY_SETTING));
        await repo.putSetting(MFA_POLICY_SETTING, JSON.stringify(next));
        const { since: _b, ...beforeRest } = before;
        const { since: _a, ...afterRest } = next;
        await deps.audit.record(
          ctx,
          { action: 'mfa.policy.update', objectType: 'setting', objectId: null, details: { before: beforeRest, after: afterRest } },
          tx,
        );
      });
      policyCache = null;
      return next;
    },

    /** A user's factors, for an admin (users.manage). */
    userMfa: (userId: string) => summary(userId),

    /** Removes every factor and recovery code of a user and ends its sessions (a lost phone); the user enrols again. */
    async reset(ctx: RequestContext, userId: string) {
      if (!(await deps.repo.findUser(userId))) throw notFound('User');
      await deps.repo.transaction(async (repo, tx) => {
        const removed = await repo.deleteAllOfUser(userId);
        const sessions = await repo.deleteSessionsOf(userId);
        await deps.audit.record(
          ctx,
          {
            action: 'mfa.reset',
            objectType: 'user',
            objectId: userId,
            details: { factorsRemoved: removed.factors, recoveryCodesRemoved: removed.recoveryCodes, sessionsEnded: sessions.count },
          },
          tx,
        );
      });
      deps.sessionCache.invalidate();
    },

    /** For step-up (another module): checks a fresh second factor of the caller. */
    verifySecondFactor: (ctx: RequestContext, userId: string, proof: SecondFactorProof) => deps.secondFactor.verifySecondFactor(ctx, userId, proof),
  };
}

export type MfaService = ReturnType<typeof createMfaService>;
