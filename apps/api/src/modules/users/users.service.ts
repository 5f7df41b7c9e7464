import {
  PERMISSIONS,
  type CreateUserRequest,
  type Permission,
  type TokenRevocationReason,
  type UpdateUserRequest,
  type UserListQuery,
} from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeKeyset, encodeKeyset, keyParts } from '../../lib/keyset.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { SessionCache } from '../auth/session-cache.js';
import { presentUser } from './users.presenter.js';
import type { UsersRepo } from './users.repo.js';
import type { StepUpGuard } from '../step-up/index.js';

const KNOWN = new Set<string>(PERMISSIONS);

export function createUsersService(deps: {
  repo: UsersRepo;
  hasher: PasswordHasher;
  audit: AuditService;
  stepUp: StepUpGuard;
  /** Whether the user is the break-glass admin while local login is off (single sign-on settings). */
  isBreakGlass?: (username: string) => Promise<boolean>;
  sessionCache?: SessionCache;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  /**
   * Whoever manages users hands out, and takes over, no more than it holds: a role it grants, or
   * the role of a user whose password, role or status it changes, must give nothing it lacks.
   * Otherwise a token narrowed to users.manage would make itself an admin (or log in as one).
   */
  async function assertCovers(ctx: RequestContext, repo: Pick<UsersRepo, 'rolePermissions'>, role: string, what: string): Promise<void> {
    const actor = ctx.actor;
    if (!actor) return;
    const beyond = (await repo.rolePermissions(role)).filter((p) => KNOWN.has(p) && !actor.permissions.has(p as Permission));
    if (beyond.length > 0) {
      const by = actor.kind === 'token' ? 'this token' : 'you';
      throw new AppError(
        'FORBIDDEN',
        `${what} the role ${role}, which grants permissions ${by} lack${actor.kind === 'token' ? 's' : ''}: ${beyond.join(', ')}`,
      );
    }
  }

  return {
    /** A page by username; with `q`, only users whose username or display name contains it (the cursor is a position, valid either way). */
    async list({ limit, cursor, q }: UserListQuery) {
      const after = cursor ? decodeKeyset('users', 'username', cursor, [keyParts.text])[0] : undefined;
      const rows = await deps.repo.list(limit + 1, { q, afterUsername: after });
      const page = rows.slice(0, limit);
      return { items: page.map(presentUser), nextCursor: rows.length > limit ? encodeKeyset('users', 'username', [page.at(-1)!.username]) : null };
    },

    async get(id: string) {
      const row = await deps.repo.get(id);
      if (!row) throw notFound('User');
      return presentUser(row);
    },

    async create(ctx: RequestContext, input: CreateUserRequest) {
      await assertCovers(ctx, deps.repo, input.role, 'You cannot give a user');
      const passwordHash = await deps.hasher.hash(input.password);
      const row = await deps.repo.transaction(async (repo, tx) => {
        const created = await repo.create({
          username: input.username,
          displayName: input.displayName ?? input.username,
          passwordHash,
          roleName: input.role,
        });
        await deps.audit.record(
          ctx,
          { action: 'user.create', objectType: 'user', objectId: created.id, details: { username: created.username, role: input.role } },
          tx,
        );
        return created;
      });
      return presentUser(row);
    },

    /**
     * Disabling a user or changing its password or role ends all its sessions and revokes all
     * its tokens for good, in the same transaction as the change.
     */
    async update(ctx: RequestContext, id: string, input: UpdateUserRequest) {
      if (id === ctx.actor?.userId && (input.disabled || (input.role && input.role !== ctx.actor.role))) {
        throw new AppError('CONFLICT', 'You cannot disable yourself or change your own role');
      }
      const passwordHash = input.password ? await deps.hasher.hash(input.password) : undefined;
      const row = await deps.repo.transaction(async (repo, tx) => {
        const before = await repo.get(id);
        if (!before) throw notFound('User');
        await assertCovers(ctx, repo, before.roleName, 'You cannot change a user of');
        if (input.role) await assertCovers(ctx, repo, input.role, 'You cannot give a user');
        const demoted = input.role !== undefined && input.role !== 'admin';
        // With local login off, the break-glass admin is the one way in when single sign-on breaks: disabling or demoting them would shut everyone out.
        if ((input.disabled === true || demoted) && (await deps.isBreakGlass?.(before.username))) {
          throw new AppError('CONFLICT', 'This is the break-glass administrator while local login is off: turn local login on or name another one first');
        }
        if (input.role !== undefined && input.role !== before.roleName) await deps.stepUp.require(ctx, tx);
        const at = now();
        const updated = await repo.update(id, {
          displayName: input.displayName,
          roleName: input.role,
          passwordHash,
          disabledAt: input.disabled === undefined ? undefined : input.disabled ? (before.disabledAt ?? at) : null,
        });
        const reason: TokenRevocationReason | null =
          input.disabled === true
            ? 'user-disabled'
            : passwordHash !== undefined
              ? 'password-changed'
              : input.role !== undefined && input.role !== before.roleName
                ? 'role-changed'
                : null;
        const sessionsEnded = reason ? await repo.endSessions(id) : 0;
        const tokensRevoked = reason ? await repo.revokeTokens(id, at, reason) : 0;
        await deps.audit.record(
          ctx,
          {
            action: 'user.update',
            objectType: 'user',
            objectId: id,
            details: {
              fields: Object.keys(input).sort(),
              ...(input.role ? { role: input.role } : {}),
              ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
              ...(reason ? { revokedBecause: reason, sessionsEnded, tokensRevoked } : {}),
            },
          },
          tx,
        );
        return updated;
      });
      // After the commit: a request that read a session before it must not cache it again.
      deps.sessionCache?.invalidate();
      return presentUser(row);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
