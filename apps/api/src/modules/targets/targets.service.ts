import type { CreateTargetRequest, TargetListQuery, UpdateTargetRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import { changedFields, changeLog } from '../../lib/changes.js';
import { decodeKeyset, encodeKeyset } from '../../lib/keyset.js';
import type { AuditDetails, AuditService } from '../audit/index.js';
import type { RequestContext } from '../../lib/actor.js';
import type { HostKeyTrust } from '../host-keys/host-key-trust.js';
import { presentTarget } from './targets.presenter.js';
import { targetSortSpec, type TargetsRepo } from './targets.repo.js';

const CURSOR_SCOPE = 'targets';
const uniqueTags = (tags: string[]) => [...new Set(tags)];

export function createTargetsService(deps: { repo: TargetsRepo; audit: AuditService; hostKeyTrust: HostKeyTrust }) {
  return {
    async list({ limit, cursor, sort, ...filter }: TargetListQuery) {
      const spec = targetSortSpec(sort);
      const after = cursor ? decodeKeyset(CURSOR_SCOPE, sort, cursor, spec.parts) : undefined;
      const rows = await deps.repo.list(filter, sort, after, limit + 1);
      const items = rows.slice(0, limit);
      const last = items.at(-1);
      return {
        items: items.map((r) => presentTarget(r, deps.hostKeyTrust)),
        nextCursor: rows.length > limit && last ? encodeKeyset(CURSOR_SCOPE, sort, spec.keyOf(last)) : null,
      };
    },

    async get(id: string) {
      const row = await deps.repo.get(id);
      if (!row) throw notFound('Target');
      return presentTarget(row, deps.hostKeyTrust);
    },

    async create(ctx: RequestContext, input: CreateTargetRequest) {
      const row = await deps.repo.transaction(async (repo, tx) => {
        const { id } = await repo.create({ ...input, tags: uniqueTags(input.tags) });
        const created = (await repo.get(id))!;
        await deps.audit.record(
          ctx,
          {
            action: 'target.create',
            objectType: 'target',
            objectId: id,
            details: { name: created.name, address: created.address, port: created.port, connectorKind: created.connectorKind, tags: created.tags },
          },
          tx,
        );
        return created;
      });
      return presentTarget(row, deps.hostKeyTrust);
    },

    async update(ctx: RequestContext, id: string, input: UpdateTargetRequest) {
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Target');
        const before = (await repo.get(id))!;
        const wanted = { ...input, ...(input.tags ? { tags: uniqueTags(input.tags) } : {}) };
        const fields = changedFields(before, wanted);
        if (fields.length === 0) return before;
        if (wanted.managingAccountId && fields.includes('managingAccountId') && !(await repo.isAccountOf(wanted.managingAccountId, id))) {
          const message = `The managing account must be an account of target ${before.name}`;
          throw new AppError('UNPROCESSABLE', message, { errors: [{ path: 'body.managingAccountId', message }] });
        }
        await repo.update(id, Object.fromEntries(fields.map((f) => [f, wanted[f]])));
        // Another address may be another host: what was pinned for the old one is trusted no more.
        const movesHost = fields.includes('address') || fields.includes('port');
        const hostKeysUnpinned = movesHost ? await repo.unpinHostKeys(id) : [];
        const after = (await repo.get(id))!;
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
      return presentTarget(row, deps.hostKeyTrust);
    },

    /** Deletes the target and, with it, its accounts (their credentials and history) and host keys. */
    async delete(ctx: RequestContext, id: string) {
      await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Target');
        const row = (await repo.get(id))!;
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
