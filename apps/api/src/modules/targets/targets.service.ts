import type { CreateTargetRequest, TargetListQuery, UpdateTargetRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { changedFields, changeLog } from '../../lib/changes.js';
import { decodeKeyset, encodeKeyset } from '../../lib/keyset.js';
import type { AuditDetails, AuditService } from '../audit/index.js';
import type { RequestContext } from '../../lib/actor.js';
import type { HostKeyTrust } from '../host-keys/host-key-trust.js';
import type { AccessService } from '../access/index.js';
import { presentTarget } from './targets.presenter.js';
import { targetSortSpec, type TargetRow, type TargetsRepo } from './targets.repo.js';

const CURSOR_SCOPE = 'targets';
const uniqueTags = (tags: string[]) => [...new Set(tags)];

export function createTargetsService(deps: { repo: TargetsRepo; audit: AuditService; hostKeyTrust: HostKeyTrust; access: AccessService }) {
  const { access } = deps;
  const present = (ctx: RequestContext, row: TargetRow) => presentTarget(row, deps.hostKeyTrust, access.withinRole(ctx.actor, 'target', row.treeRights));
  /** The target as the caller sees it (after their access was checked). */
  const reload = async (ctx: RequestContext, repo: Pick<TargetsRepo, 'get'>, id: string) => (await repo.get(access.scopeOf(ctx.actor), id))!;

  return {
    async list(ctx: RequestContext, { limit, cursor, sort, ...filter }: TargetListQuery) {
      const spec = targetSortSpec(sort);
      const after = cursor ? decodeKeyset(CURSOR_SCOPE, sort, cursor, spec.parts) : undefined;
      if (filter.folderId) await access.rightsOn(ctx.actor, { type: 'folder', id: filter.folderId }); // 404 for a folder they cannot see
      const rows = await access.listWithReach(ctx.actor, (scope) => deps.repo.list(scope, filter, sort, after, limit + 1));
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map((r) => present(ctx, r)),
        nextCursor: rows.length > limit && last ? encodeKeyset(CURSOR_SCOPE, sort, spec.keyOf(last)) : null,
      };
    },

    async get(ctx: RequestContext, id: string) {
      await access.require(ctx, { type: 'target', id }, 'view');
      const row = await deps.repo.get(access.scopeOf(ctx.actor), id);
      if (!row) throw notFound('Target');
      return present(ctx, row);
    },

    async create(ctx: RequestContext, { folderId, ...input }: CreateTargetRequest) {
      const folder = folderId ?? (await access.rootFolderId());
      await access.require(ctx, { type: 'folder', id: folder }, 'manage');
      const row = await deps.repo.transaction(async (repo, tx) => {
        const { id } = await repo.create({ ...input, tags: uniqueTags(input.tags), folderId: folder });
        const created = await reload(ctx, repo, id);
        await deps.audit.record(
          ctx,
          {
            action: 'target.create',
            objectType: 'target',
            objectId: id,
            details: {
              name: created.name,
              address: created.address,
              port: created.port,
              connectorKind: created.connectorKind,
              tags: created.tags,
              folderId: created.folderId,
            },
          },
          tx,
        );
        return created;
      });
      return present(ctx, row);
    },

    async update(ctx: RequestContext, id: string, input: UpdateTargetRequest) {
      // Moving changes what its accounts inherit: all of them must be the caller's to manage, and the destination too.
      if (input.folderId) {
        await access.requireBelow(ctx, { type: 'target', id }, 'manage');
        await access.require(ctx, { type: 'folder', id: input.folderId }, 'manage');
      } else {
        await access.require(ctx, { type: 'target', id }, 'manage');
      }
      // The managing account acts on the target for every reset: choosing it needs manage on that account.
      if (input.managingAccountId) {
        await access.require(ctx, { type: 'account', id: input.managingAccountId }, 'manage').catch((error: unknown) => {
          const message = 'The managing account must be an account of this target that you manage';
          throw error instanceof AppError && error.code === 'NOT_FOUND'
            ? new AppError('UNPROCESSABLE', message, { errors: [{ path: 'body.managingAccountId', message }] })
            : error;
        });
      }
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Target');
        const before = await reload(ctx, repo, id);
        const wanted = { ...input, ...(input.tags ? { tags: uniqueTags(input.tags) } : {}) };
        const fields = changedFields(before, wanted);
        if (fields.length === 0) return before;
        if (wanted.managingAccountId && fields.includes('managingAccountId') && !(await repo.isAccountOf(wanted.managingAccountId, id))) {
          const message = `The managing account must be an account of target ${before.name}`;
          throw new AppError('UNPROCESSABLE', message, { errors: [{ path: 'body.managingAccountId', message }] });
        }
        const write = () => repo.update(id, Object.fromEntries(fields.map((f) => [f, wanted[f]])));
        // A move may shed a DENY or land under an ALLOW: it must not widen the mover's own rights.
        if (fields.includes('folderId')) await access.withoutSelfWidening(ctx, tx, [{ type: 'target', id }], write);
        else await write();
        // Another address may be another host: what was pinned for the old one is trusted no more.
        const movesHost = fields.includes('address') || fields.includes('port');
        const hostKeysUnpinned = movesHost ? await repo.unpinHostKeys(id) : [];
        const after = await reload(ctx, repo, id);
        await deps.audit.record(
          ctx,
          {
            action: 'target.update',
            objectType: 'target',
            objectId: id,
            details: {
              name: after.name,
              fields,
              changes: changeLog(
                before,
                wanted,
                fields.filter((f) => f !== 'description'),
              ) as AuditDetails,
              ...(movesHost ? { hostKeysUnpinned } : {}),
            },
          },
          tx,
        );
        return after;
      });
      return present(ctx, row);
    },

    /** Deletes the target and, with it, its accounts (their credentials and history) and host keys. */
    async delete(ctx: RequestContext, id: string) {
      // Its accounts go with it: each must be the caller's to manage.
      await access.requireBelow(ctx, { type: 'target', id }, 'manage');
      await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Target');
        const row = (await repo.get(access.scopeOf(null), id))!; // every account counts for the audit, seen or not
        await repo.delete(id);
        await deps.audit.record(
          ctx,
          {
            action: 'target.delete',
            objectType: 'target',
            objectId: id,
            details: { name: row.name, address: row.address, port: row.port, accountCount: row.accountCount },
          },
          tx,
        );
      });
    },
  };
}

export type TargetsService = ReturnType<typeof createTargetsService>;
