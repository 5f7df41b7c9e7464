import { randomUUID } from 'node:crypto';
import { isBatchDone, type BulkJobRequest, type ResetRequest } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeKeyset, encodeKeyset, keyParts } from '../../lib/keyset.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import { assertUnsealed } from '../credentials/secret-material.js';
import type { PoliciesService } from '../policies/policies.service.js';
import type { JobQueue } from './job-queue.js';
import { presentJob } from './jobs.presenter.js';
import type { JobFilter, JobRow, JobsRepo } from './jobs.repo.js';
import { assertResetAllowed, produceResetSecret, storePendingResets } from './reset-request.js';
import { memoize } from '../../lib/memoize.js';

/** Accounts stored per transaction by a bulk RESET. */
const RESET_GROUP = 25;

export function createJobsService(deps: { repo: JobsRepo; vault: Vault; queue: Pick<JobQueue, 'name'>; policies: PoliciesService; audit: AuditService }) {
  const { repo } = deps;
  const loadAccount = async (id: string) => (await repo.jobSubjects([id]))[0];

  async function present(row: JobRow) {
    const names = await repo.usernames(row.requestedById ? [row.requestedById] : []);
    return presentJob(row, names);
  }

  async function get(id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound('Job');
    return present(row);
  }

  async function batch(id: string) {
    const row = await repo.getBatch(id);
    if (!row) throw notFound('Batch');
    const counts = await repo.batchCounts(id);
    return { id: row.id, kind: row.kind, total: row.total, counts, done: isBatchDone(counts), createdAt: row.createdAt.toISOString() };
  }

  return {
    get,
    batch,

    async list(filter: JobFilter, limit: number, cursor?: string) {
      const before = cursor ? decodeKeyset('jobs', 'createdAt', cursor, [keyParts.timestamp, keyParts.uuid]) : undefined;
      const rows = await repo.list(filter, limit + 1, before ? { createdAt: new Date(before[0]!), id: before[1]! } : undefined);
      const page = rows.slice(0, limit);
      const names = await repo.usernames([...new Set(page.flatMap((r) => (r.requestedById ? [r.requestedById] : [])))]);
      const last = page.at(-1);
      return {
        items: page.map((r) => presentJob(r, names)),
        nextCursor: rows.length > limit && last ? encodeKeyset('jobs', 'createdAt', [last.createdAt.toISOString(), last.id]) : null,
      };
    },

    async requestCheck(ctx: RequestContext, accountId: string) {
      assertUnsealed(deps.vault);
      const id = randomUUID();
      await repo.transaction(async (r, tx) => {
        // Lock order (db/transaction.ts): the account first (kept from being deleted until commit), the audit chain last.
        if ((await r.lockAccounts([accountId], 'key-share')).length === 0) throw notFound('Account');
        await r.create({ id, kind: 'CHECK', accountId, requestedById: ctx.actor?.userId ?? null, queue: deps.queue.name });
        await deps.audit.record(ctx, { action: 'credential.check.requested', objectType: 'account', objectId: accountId, details: { jobId: id } }, tx);
      });
      return get(id);
    },

    async requestReset(ctx: RequestContext, accountId: string, request: ResetRequest) {
      assertUnsealed(deps.vault);
      const account = await loadAccount(accountId);
      if (!account) throw notFound('Account');
      assertResetAllowed([account], request);
      const reset = await produceResetSecret(account, request, await deps.policies.effective(account.policyId));
      const { queued } = await repo.transaction((_repo, tx) => storePendingResets(deps, tx, ctx, { resets: [reset], request, onBusy: 'refuse' }));
      return get(queued[0]!);
    },

    async bulk(ctx: RequestContext, request: BulkJobRequest) {
      assertUnsealed(deps.vault);
      if (request.kind === 'RESET' && !ctx.actor?.permissions.has('credentials.reset'))
        throw new AppError('FORBIDDEN', 'You lack the permission credentials.reset');
      const accounts = await repo.jobSubjects(request.accountIds);
      const missing = request.accountIds.filter((id) => !accounts.some((a) => a.id === id));
      if (missing.length > 0) throw new AppError('NOT_FOUND', `${missing.length} of the accounts do not exist`, { details: { missing: missing.slice(0, 20) } });
      const batchId = randomUUID();
      /** Locks the accounts (lock order: db/transaction.ts); any deleted since they were read: 404, nothing stored. */
      const lockAll = async (r: Pick<typeof repo, 'lockAccounts'>) => {
        const locked = new Set(
          await r.lockAccounts(
            accounts.map((a) => a.id),
            'key-share',
          ),
        );
        const vanished = accounts.filter((a) => !locked.has(a.id)).map((a) => a.id);
        if (vanished.length > 0)
          throw new AppError('NOT_FOUND', `${vanished.length} of the accounts do not exist`, { details: { missing: vanished.slice(0, 20) } });
      };
      let jobIds: string[];
      if (request.kind === 'CHECK') {
        jobIds = accounts.map(() => randomUUID());
        await repo.transaction(async (r, tx) => {
          await lockAll(r);
          await r.createBatch({ id: batchId, kind: 'CHECK', requestedById: ctx.actor?.userId ?? null, total: accounts.length });
          await r.createMany(
            accounts.map((a, i) => ({
              id: jobIds[i]!,
              kind: 'CHECK' as const,
              accountId: a.id,
              batchId,
              requestedById: ctx.actor?.userId ?? null,
              queue: deps.queue.name,
            })),
          );
          await deps.audit.record(
            ctx,
            { action: 'batch.create', objectType: 'batch', objectId: batchId, details: { kind: 'CHECK', total: accounts.length } },
            tx,
          );
        });
      } else {
        const reset: ResetRequest = { ...request.reset!, generate: true };
        assertResetAllowed(accounts, reset);
        const busy = await repo.resetsInProgress(accounts.map((a) => a.id));
        if (busy.size > 0) {
          throw new AppError('CONFLICT', `${busy.size} of the accounts have a reset in progress; wait for it to finish or leave them out`, {
            details: { accountIds: [...busy.keys()].slice(0, 20) },
          });
        }
        await repo.transaction(async (r, tx) => {
          await lockAll(r);
          await r.createBatch({ id: batchId, kind: 'RESET', requestedById: ctx.actor?.userId ?? null, total: accounts.length });
          await deps.audit.record(
            ctx,
            { action: 'batch.create', objectType: 'batch', objectId: batchId, details: { kind: 'RESET', total: accounts.length, ...request.reset } },
            tx,
          );
        });
        // Stored in groups of RESET_GROUP, each in one transaction: a group's jobs are queued as it
        // commits, so the workers start on the first while the rest are stored. Secrets are produced before
        // each transaction: a slow key generation holds no locks.
        const policyOf = memoize((id: string | null) => deps.policies.effective(id));
        for (let i = 0; i < accounts.length; i += RESET_GROUP) {
          const group = accounts.slice(i, i + RESET_GROUP);
          const resets = await Promise.all(group.map(async (account) => produceResetSecret(account, reset, await policyOf(account.policyId))));
          await repo.transaction((_repo, tx) => storePendingResets(deps, tx, ctx, { resets, request: reset, batchId, onBusy: 'fail-job' }));
        }
        return batch(batchId);
      }
      return batch(batchId);
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;
