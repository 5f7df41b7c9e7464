import type { CurrentUser, MfaLoginChallenge, Permission, RoleName } from '@passman/contracts';
import { createHash } from 'node:crypto';
import { PERMISSIONS } from '@passman/contracts';
import { AppError } from '../../lib/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import type { AuthRepo } from './auth.repo.js';
import { throttleSubject, type LoginThrottle } from './login-throttle.js';
import type { PasswordHasher } from './password-hasher.js';
import { LOCAL_ONLY, type PrimaryAuthenticator } from './primary-authenticator.js';
import { noSessionCache, type SessionCache } from './session-cache.js';
import { csrfTokenFor, hashToken, randomToken } from './secret-tokens.js';

export interface SessionPolicy {
  /** A session unused this long ends. */
  idleMs: number;
  /** A session ends this long after login, used or not. */
  maxAgeMs: number;
}

interface UserWithRole {
  id: string;
  username: string;
  displayName: string;
  disabledAt: Date | null;
  role: { name: string; permissions: string[] };
}

/** What a login challenge remembers of the password it followed: a password changed since voids it. */
export const passwordStampOf = (passwordHash: string): string => createHash('sha256').update(`passman-login-stamp:${passwordHash}`).digest('hex');

/** Actor name of a failed login whose username names nobody. */
export const UNKNOWN_USER = '(unknown user)';

const KNOWN = new Set<string>(PERMISSIONS);
const permissionsOf = (user: UserWithRole) => user.role.permissions.filter((p): p is Permission => KNOWN.has(p));

export function presentCurrentUser(actor: Actor): CurrentUser {
  return {
    id: actor.userId,
    username: actor.username,
    displayName: actor.displayName,
    role: actor.role,
    permissions: [...actor.permissions],
  };
}

export function createAuthService(deps: {
  repo: AuthRepo;
  hasher: PasswordHasher;
  throttle: LoginThrottle;
  audit: AuditService;
  session: SessionPolicy;
  /** The policy in force now (administrators change it: modules/settings); `session` when absent. */
  sessionPolicy?: () => Promise<SessionPolicy>;
  sessionCache?: SessionCache;
  /** Checks passwords of users an outside directory owns (LDAP); none: local passwords only. */
  primary?: PrimaryAuthenticator;
  /** Issues the second step of a login for a user with a second factor (modules/mfa). */
  loginChallenges?: { issue(user: { id: string; passwordHash: string }, ctx: RequestContext): Promise<MfaLoginChallenge | null> };
  /** Whether a session's user must enrol a second factor before anything else (modules/mfa). */
  enrolmentGate?: (actor: Actor) => Promise<boolean>;
  now?: () => Date;
  /** Whether this user may log in with a password (single sign-on can turn that off for all but the break-glass admin). */
  localLogin?: { allows(username: string): Promise<boolean> };
}) {
  const cache = deps.sessionCache ?? noSessionCache;
  const now = deps.now ?? (() => new Date());
  const sessionPolicy = deps.sessionPolicy ?? (async () => deps.session);
  /** Idle, past its absolute timeout (a shortened one applies to sessions already open), or its user disabled. */
  const ended = (s: { createdAt: Date; expiresAt: Date; lastSeenAt: Date; disabledAt: Date | null }, policy: SessionPolicy, t: number) =>
    s.expiresAt.getTime() <= t || s.createdAt.getTime() + policy.maxAgeMs <= t || s.lastSeenAt.getTime() + policy.idleMs <= t || s.disabledAt !== null;

  const actorOf = (user: UserWithRole, extra: Partial<Actor> & Pick<Actor, 'kind'>, scopes?: string[]): Actor => ({
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role.name as RoleName,
    permissions: new Set(scopes ? permissionsOf(user).filter((p) => scopes.includes(p)) : permissionsOf(user)),
    ...extra,
  });

  /** `secondFactor`: the login proved one, so the session starts with it fresh (step-up). */
  async function openSession(
    user: UserWithRole & { passwordHash: string; roleName: string },
    ctx: RequestContext,
    details?: Record<string, string>,
    secondFactor = false,
  ) {
    const token = randomToken();
    const at = now();
    const policy = await sessionPolicy();
    const actor = await deps.repo.transaction(async (repo, tx) => {
      const locked = await repo.lockUserForLogin(user.id);
      // Changed since the password was checked: that change has just ended the user's sessions.
      if (!locked || locked.passwordHash !== user.passwordHash || locked.roleName !== user.roleName || locked.disabledAt) return null;
      const session = await repo.createSession({
        tokenHash: hashToken(token),
        userId: user.id,
        ip: ctx.ip,
        userAgent: ctx.userAgent?.slice(0, 300) ?? null,
        expiresAt: new Date(at.getTime() + policy.maxAgeMs),
        secondFactorAt: secondFactor ? at : null,
      });
      await repo.recordLogin(user.id, at);
      const loggedIn = actorOf(user, { kind: 'session', sessionId: session.id, csrfToken: csrfTokenFor(token) });
      await deps.audit.record(
        { ...ctx, actor: loggedIn },
        { action: 'auth.login', objectType: 'user', objectId: user.id, ...(details ? { details } : {}) },
        tx,
      );
      return loggedIn;
    });
    return actor ? { actor, sessionToken: token, maxAgeMs: policy.maxAgeMs } : null;
  }

  return {
    async login(username: string, password: string, ctx: RequestContext) {
      const found = await deps.repo.findUserByUsername(username);
      const attempt = await deps.throttle.admit(throttleSubject(username, found?.id ?? null), ctx.ip);
      /** A failed login: audited (under a name only when it exists: an unknown one is often a password typed into the wrong field) and counted. */
      const refused = async (who: { id: string; username: string } | null, reason: string) => {
        await deps.audit.record(ctx, {
          action: 'auth.login',
          objectType: 'user',
          objectId: who?.id ?? null,
          outcome: 'failure',
          actorName: who?.username ?? UNKNOWN_USER,
          details: { reason },
        });
        await attempt.failed();
      };
      const primary = deps.primary ? await deps.primary.authenticate({ username, password, userId: found?.id ?? null }, ctx) : LOCAL_ONLY;
      let user = found;
      let ok = false;
      if (primary.kind === 'local') {
        // Verify against a dummy hash for unknown users so response time does not reveal who exists.
        ok = await deps.hasher.verify(found?.passwordHash ?? (await deps.hasher.dummyHash()), password);
      } else if (primary.kind === 'accepted') {
        user = await deps.repo.findUserById(primary.userId);
        ok = user !== null;
      } else {
        // The cost of a local check too, so response time does not tell a directory name from a local one.
        await deps.hasher.verify(await deps.hasher.dummyHash(), password);
      }
      if (!user || !ok || user.disabledAt) {
        const reason = primary.kind === 'rejected' || primary.kind === 'unavailable' ? primary.reason : null;
        await refused(user, user?.disabledAt ? 'disabled' : (reason ?? (!user ? 'unknown-user' : 'wrong-password')));
        if (primary.kind === 'unavailable' || (primary.kind === 'local' && (await deps.primary?.unavailable()))) {
          throw new AppError('LDAP_UNAVAILABLE', 'The directory (LDAP) cannot be reached, so directory users cannot sign in now; local accounts still can');
        }
        throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
      }
      // Asked only once the password is right, so the answer does not tell who the break-glass admin is.
      if (deps.localLogin && !(await deps.localLogin.allows(user.username))) {
        await refused(user, 'local-login-disabled');
        throw new AppError('OIDC_LOCAL_LOGIN_DISABLED', 'Log in with single sign-on: passwords are accepted only from the break-glass administrator');
      }
      const pending = await deps.loginChallenges?.issue(user, ctx);
      if (pending) {
        // The password was right: its throttle forgets this source's failures; the second factor has its own.
        await attempt.succeeded();
        return { challenge: pending };
      }
      const opened = await openSession(user, ctx);
      if (!opened) {
        await refused(user, 'changed-during-login');
        throw new AppError('INVALID_CREDENTIALS', 'Wrong username or password');
      }
      await attempt.succeeded();
      return opened;
    },

    /**
     * The session of a login whose second factor was just proven (modules/mfa): null when the
     * user was disabled, or its password, role or status changed since the password was checked.
     */
    async completeLogin(userId: string, passwordStamp: string, ctx: RequestContext, details: Record<string, string>) {
      const user = await deps.repo.findUserById(userId);
      if (!user || user.disabledAt || passwordStampOf(user.passwordHash) !== passwordStamp) return null;
      return openSession(user, ctx, details, true);
    },

    /** The actor of a session cookie, or null when it is unknown, expired, idle or its user disabled. */
    async authenticateSession(token: string, ip: string | null): Promise<Actor | null> {
      const tokenHash = hashToken(token);
      const readSince = cache.version();
      const session = cache.get(tokenHash) ?? (await deps.repo.findSessionByTokenHash(tokenHash));
      if (!session) return null;
      const t = now().getTime();
      if (ended({ ...session, disabledAt: session.user.disabledAt }, await sessionPolicy(), t)) {
        await deps.repo.deleteSession(session.id);
        cache.invalidate();
        return null;
      }
      // Slide the idle timeout and note the address, writing at most once a minute per session.
      if (t - session.lastSeenAt.getTime() > 60_000) {
        await deps.repo.touchSession(session.id, new Date(t), ip);
        session.lastSeenAt = new Date(t);
      }
      cache.set(tokenHash, session, readSince);
      const actor = actorOf(session.user, { kind: 'session', sessionId: session.id, csrfToken: csrfTokenFor(token) });
      if (deps.enrolmentGate && (await deps.enrolmentGate(actor))) actor.mfaEnrolmentRequired = true;
      return actor;
    },

    /** The actor of an API token, narrowed to its scopes, or null when unknown, revoked or expired. */
    async authenticateToken(token: string, ip: string | null): Promise<Actor | null> {
      const row = await deps.repo.findTokenByHash(hashToken(token));
      const t = now();
      if (!row || row.revokedAt || row.expiresAt <= t || row.user.disabledAt) return null;
      if (!row.lastUsedAt || t.getTime() - row.lastUsedAt.getTime() > 60_000) await deps.repo.touchToken(row.id, t, ip);
      return actorOf(row.user, { kind: 'token', tokenId: row.id, tokenExpiresAt: row.expiresAt }, row.scopes);
    },

    /**
     * Whether the session or token behind `actor` still stands, read from the database now: a
     * request that outlives its start (an event stream) asks before it sends anything more.
     */
    async stillValid(actor: Actor): Promise<boolean> {
      const t = now().getTime();
      if (actor.kind === 'session' && actor.sessionId) {
        const s = await deps.repo.sessionStanding(actor.sessionId);
        return s !== null && !ended(s, await sessionPolicy(), t);
      }
      if (actor.kind === 'token' && actor.tokenId) {
        const token = await deps.repo.tokenStanding(actor.tokenId);
        return token !== null && !token.revokedAt && !token.user.disabledAt && token.expiresAt.getTime() > t;
      }
      return false;
    },

    async logout(ctx: RequestContext): Promise<void> {
      const actor = ctx.actor;
      if (!actor?.sessionId) throw new AppError('UNPROCESSABLE', 'Only a browser session can log out; revoke tokens instead');
      await deps.repo.transaction(async (repo, tx) => {
        await repo.deleteSession(actor.sessionId!);
        await deps.audit.record(ctx, { action: 'auth.logout', objectType: 'user', objectId: actor.userId }, tx);
      });
      cache.invalidate();
    },

    /** Throttle rows whose window and block are over (the periodic sweep keeps the table small). */
    purgeLapsedThrottles: (): Promise<number> => deps.throttle.purgeExpired(),

    async purgeExpiredSessions(): Promise<number> {
      const t = now().getTime();
      const policy = await sessionPolicy();
      const { count } = await deps.repo.deleteExpiredSessions(new Date(t), new Date(t - policy.idleMs), new Date(t - policy.maxAgeMs));
      return count;
    },
  };
}

export type AuthService = ReturnType<typeof createAuthService>;
