import { randomUUID } from 'node:crypto';
import { isBatchDone, type BulkJobRequest, type ResetRequest } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeKeyset, encodeKeyset, keyParts } from '../../lib/keyset.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import { assertUnsealed, type SecretMaterial } from '../credentials/secret-material.js';
import type { PoliciesService } from '../policies/policies.service.js';
import type { JobQueue } from './job-queue.js';
import { presentJob } from './jobs.presenter.js';
import type { JobFilter, JobRow, JobsRepo } from './jobs.repo.js';
import { assertResetAllowed, pickCredential, produceResetSecret, storePendingResets } from './reset-request.js';
import { memoize } from '../../lib/memoize.js';
import type { AccessService } from '../access/index.js';
import type { StepUpGuard } from '../step-up/index.js';
import type { ApprovalsService } from '../approvals/index.js';

/** Accounts stored per transaction by a bulk RESET. */
const RESET_GROUP = 25;

export function createJobsService(deps: {
  stepUp: StepUpGuard;
  repo: JobsRepo;
  vault: Vault;
  queue: Pick<JobQueue, 'name'>;
  policies: PoliciesService;
  audit: AuditService;
  access: AccessService;
  /** Dual control: a user's reset under an approval rule uses one approval of theirs, in its transaction. */
  approvals: Pick<ApprovalsService, 'consume' | 'recordUse' | 'needingApproval'>;
}) {
  const { repo, access } = deps;
  const loadAccount = async (id: string) => (await repo.jobSubjects([id]))[0];

  async function present(row: JobRow) {
    const names = await repo.usernames(row.requestedById ? [row.requestedById] : []);
    return presentJob(row, names);
  }

  /** A job on an account the caller may not see does not exist, for them. */
  async function get(ctx: RequestContext, id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound('Job');
    await access.require(ctx, { type: 'account', id: row.accountId }, 'view').catch((error: unknown) => {
      throw error instanceof AppError && error.code === 'NOT_FOUND' ? notFound('Job') : error;
    });
    return present(row);
  }

  /**
   * A batch as the caller sees it: the jobs on accounts they may see. Its total leaves out those
   * they may not, and still counts jobs not yet stored (a bulk reset stores them in groups), so it
   * is not done before they all are.
   */
  async function batch(ctx: RequestContext, id: string) {
    const row = await repo.getBatch(id);
    if (!row) throw notFound('Batch');
    const scope = access.scopeOf(ctx.actor);
    const mine = row.requestedById !== null && row.requestedById === ctx.actor?.userId;
    if (scope.kind === 'user' && !mine && !(await repo.batchVisible(scope, id))) throw notFound('Batch');
    const { counts, hidden } = await repo.batchCounts(scope, id);
    return { id: row.id, kind: row.kind, total: row.total - hidden, counts, done: isBatchDone(counts), createdAt: row.createdAt.toISOString() };
  }

  return {
    get,
    batch,

    async list(ctx: RequestContext, filter: JobFilter, limit: number, cursor?: string) {
      const before = cursor ? decodeKeyset('jobs', 'createdAt', cursor, [keyParts.timestamp, keyParts.uuid]) : undefined;
      const rows = await repo.list(
        await access.listScopeOf(ctx.actor),
        filter,
        limit + 1,
        before ? { createdAt: new Date(before[0]!), id: before[1]! } : undefined,
      );
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
      await access.require(ctx, { type: 'account', id: accountId }, 'check');
      const id = randomUUID();
      await repo.transaction(async (r, tx) => {
        // Lock order (db/transaction.ts): the account first (kept from being deleted until commit), the audit chain last.
        if ((await r.lockAccounts([accountId], 'key-share')).length === 0) throw notFound('Account');
        await r.create({ id, kind: 'CHECK', accountId, requestedById: ctx.actor?.userId ?? null, queue: deps.queue.name });
        await deps.audit.record(ctx, { action: 'credential.check.requested', objectType: 'account', objectId: accountId, details: { jobId: id } }, tx);
      });
      return get(ctx, id);
    },

    /**
     * `byPolicy`: PassMan resets on its own rule (AutoReset after check-in), whatever the caller's rights;
     * with a reset of the account in progress, the job returned is stored failed (RESET_IN_PROGRESS).
     * `material`: the new secret is given, not produced from the request — a restore puts an older
     * version's value back through the same protocol.
     */
    async requestReset(ctx: RequestContext, accountId: string, request: ResetRequest, options: { byPolicy?: boolean; material?: SecretMaterial } = {}) {
      assertUnsealed(deps.vault);
      if (!options.byPolicy) {
        await access.require(ctx, { type: 'account', id: accountId }, 'reset');
        await deps.stepUp.require(ctx);
      }
      const account = await loadAccount(accountId);
      if (!account) throw notFound('Account');
      assertResetAllowed([account], request);
      const reset = options.material
        ? { account, picked: pickCredential(account, request), material: options.material }
        : await produceResetSecret(account, request, await deps.policies.effective(account.policyId));
      const { jobIds } = await repo.transaction(async (r, tx) => {
        // PassMan's own reset follows something already done (a check-in, committed): a reset in
        // progress is recorded as this job's failure (RESET_IN_PROGRESS), not answered with a 409
        // that would read as if the check-in had failed too.
        if (options.byPolicy) return storePendingResets(deps, tx, ctx, { resets: [reset], request, onBusy: 'fail-job' });
        // Lock order (db/transaction.ts): the account (storePendingResets takes it again), then the approval, the audit chain last.
        await r.lockAccounts([accountId]);
        const approval = await deps.approvals.consume(tx, ctx, accountId, 'reset');
        const stored = await storePendingResets(deps, tx, ctx, { resets: [reset], request, onBusy: 'refuse' });
        await deps.approvals.recordUse(tx, ctx, approval);
        return stored;
      });
      // `refuse` stores the job queued or throws; `fail-job` may have stored it failed, or nothing if the account was deleted meanwhile.
      const row = jobIds[0] ? await repo.get(jobIds[0]) : null;
      if (!row) throw notFound('Account');
      return present(row);
    },

    async bulk(ctx: RequestContext, request: BulkJobRequest) {
      assertUnsealed(deps.vault);
      if (request.kind === 'RESET' && !ctx.actor?.permissions.has('credentials.reset'))
        throw new AppError('FORBIDDEN', 'You lack the permission credentials.reset');
      // Each account is judged on its own: those the caller may not act on are left out and named.
      const sorted = await access.sortAccounts(ctx.actor, request.accountIds, request.kind === 'RESET' ? 'reset' : 'check');
      // An approval allows one reset of one account: accounts whose resets need one are left out of a bulk reset.
      const needing = request.kind === 'RESET' && ctx.actor ? await deps.approvals.needingApproval(sorted.allowed, 'reset') : new Set<string>();
      const allowed = sorted.allowed.filter((id) => !needing.has(id));
      const refused: { accountId: string; code: 'NOT_FOUND' | 'FORBIDDEN' | 'APPROVAL_REQUIRED'; message: string }[] = [
        ...sorted.refused,
        ...[...needing].map((accountId) => ({ accountId, code: 'APPROVAL_REQUIRED' as const, message: 'A reset of this account needs an approval' })),
      ];
      if (allowed.length === 0) {
        const code = refused.every((r) => r.code === 'NOT_FOUND') ? 'NOT_FOUND' : 'FORBIDDEN';
        throw new AppError(code, `None of the ${refused.length} accounts can be ${request.kind === 'RESET' ? 'reset' : 'checked'} by you`, {
          details: { refused: refused.slice(0, 100) },
        });
      }
      if (request.kind === 'RESET') await deps.stepUp.require(ctx);
      const accounts = await repo.jobSubjects(allowed);
      const missing = allowed.filter((id) => !accounts.some((a) => a.id === id));
      if (missing.length > 0) throw new AppError('NOT_FOUND', `${missing.length} of the accounts do not exist`, { details: { missing: missing.slice(0, 20) } });
      const batchId = randomUUID();
      const answer = async () => ({ ...(await batch(ctx, batchId)), refused });
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
            { action: 'batch.create', objectType: 'batch', objectId: batchId, details: { kind: 'CHECK', total: accounts.length, refused: refused.length } },
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
            {
              action: 'batch.create',
              objectType: 'batch',
              objectId: batchId,
              details: { kind: 'RESET', total: accounts.length, refused: refused.length, ...request.reset },
            },
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
        return answer();
      }
      return answer();
    },
  };
}

export type JobsService = ReturnType<typeof createJobsService>;
