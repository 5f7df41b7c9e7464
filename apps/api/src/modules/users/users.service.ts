import type { CreateUserRequest, UpdateUserRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeKeyset, encodeKeyset, keyParts } from '../../lib/keyset.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../auth/actor.js';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { SessionCache } from '../auth/session-cache.js';
import { presentUser } from './users.presenter.js';
import type { UsersRepo } from './users.repo.js';

export function createUsersService(deps: { repo: UsersRepo; hasher: PasswordHasher; audit: AuditService; sessionCache?: SessionCache; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async list(limit: number, cursor?: string) {
      const after = cursor ? decodeKeyset('users', 'username', cursor, [keyParts.text])[0] : undefined;
      const rows = await deps.repo.list(limit + 1, after);
      const page = rows.slice(0, limit);
      return { items: page.map(presentUser), nextCursor: rows.length > limit ? encodeKeyset('users', 'username', [page.at(-1)!.username]) : null };
    },

    async get(id: string) {
      const row = await deps.repo.get(id);
      if (!row) throw notFound('User');
      return presentUser(row);
    },

    async create(ctx: RequestContext, input: CreateUserRequest) {
      const passwordHash = await deps.hasher.hash(input.password);
      const row = await deps.repo.transaction(async (repo, tx) => {
        const created = await repo.create({
          username: input.username,
          displayName: input.displayName ?? input.username,
          passwordHash,
          roleName: input.role,
        });
        await deps.audit.record(ctx, { action: 'user.create', objectType: 'user', objectId: created.id, details: { username: created.username, role: input.role } }, tx);
        return created;
      });
      return presentUser(row);
    },

    /** Disabling a user or changing its password or role ends all its sessions. */
    async update(ctx: RequestContext, id: string, input: UpdateUserRequest) {
      if (id === ctx.actor?.userId && (input.disabled || (input.role && input.role !== ctx.actor.role))) {
        throw new AppError('CONFLICT', 'You cannot disable yourself or change your own role');
      }
      const passwordHash = input.password ? await deps.hasher.hash(input.password) : undefined;
      const row = await deps.repo.transaction(async (repo, tx) => {
        const before = await repo.get(id);
        if (!before) throw notFound('User');
        const updated = await repo.update(id, {
          displayName: input.displayName,
          roleName: input.role,
          passwordHash,
          disabledAt: input.disabled === undefined ? undefined : input.disabled ? (before.disabledAt ?? now()) : null,
        });
        const endsSessions = input.disabled === true || passwordHash !== undefined || (input.role !== undefined && input.role !== before.roleName);
        if (endsSessions) {
          await repo.endSessions(id);
          deps.sessionCache?.invalidate();
        }
        await deps.audit.record(
          ctx,
          {
            action: 'user.update',
            objectType: 'user',
            objectId: id,
            details: { fields: Object.keys(input).sort(), ...(input.role ? { role: input.role } : {}), ...(input.disabled !== undefined ? { disabled: input.disabled } : {}), sessionsEnded: endsSessions },
          },
          tx,
        );
        return updated;
      });
      return presentUser(row);
    },
  };
}

export type UsersService = ReturnType<typeof createUsersService>;
