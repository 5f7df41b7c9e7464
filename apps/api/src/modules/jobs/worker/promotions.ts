import type { AuditService } from '../../audit/audit.service.js';
import type { Logger } from 'pino';
import { accountStandingOf } from './account-status.js';
import { createGroupedWrites } from './grouped-writes.js';
import { JobLostError } from './job-lost-error.js';
import { workerContext, type AccountStatusValue, type PromotionRequest, type RunnerDeps } from './run-context.js';
import type { WorkerRepo } from './worker.repo.js';

/** The writes of one promotion (`writePromotions`). */
export interface PromotionWrite {
  accountId: string;
  credentialId: string;
  pendingId: string;
  previousId: string | null;
  changeOnTarget: boolean;
  verified: boolean;
}

/**
 * The writes of promotions, in the caller's transaction with their accounts locked: PENDING →
 * CURRENT, the old CURRENT → RETIRED, then each account's compliance and status from its
 * credentials (unknown until checked when not `verified`; NotInSync for a vault-only change).
 * Resets' runs (below) and a person confirming which secret the target holds
 * (reset-outcome.service.ts) share it. At most one promotion per account.
 */
export async function writePromotions(
  repo: Pick<WorkerRepo, 'promoteVersions' | 'accountStandings' | 'recordPromotions'>,
  promotions: PromotionWrite[],
): Promise<Map<string, AccountStatusValue>> {
  const at = new Date();
  await repo.promoteVersions(promotions, at);
  const standings = await repo.accountStandings(promotions.map((p) => p.accountId));
  const changes = promotions.map((p) => {
    const standing = accountStandingOf(standings.get(p.accountId) ?? []);
    return {
      accountId: p.accountId,
      at,
      verified: p.verified,
      compliance: standing.compliance,
      ...(p.changeOnTarget
        ? { status: standing.status, statusReason: standing.statusReason }
        : { status: 'NotInSync' as const, statusReason: 'VAULT_ONLY_CHANGE' }),
    };
  });
  await repo.recordPromotions(changes);
  return new Map(changes.map((c) => [c.accountId, c.status]));
}

/**
 * Writes resets' promotions for many jobs in one transaction (lib/group-commit), as
 * job-completions.ts does for their ends: with 32 resets in flight, a transaction each was a
 * dozen statements per reset. Only the runs that still hold their job (RunClaim) promote; the
 * others get JobLostError and write nothing, so that they stop before touching the target again.
 */
export function createPromotions(
  deps: { repo: WorkerRepo; audit: AuditService; logger: Logger },
  options: { workerId: string },
): RunnerDeps['promotions'] & {
  drain(): Promise<void>;
} {
  interface Pending {
    accountId: string;
    request: PromotionRequest;
    /** The account's status as the promotion wrote it. */
    status?: AccountStatusValue;
    error?: unknown;
  }

  async function writeTogether(pendings: Pending[]): Promise<void> {
    const written = await deps.repo.transaction(async (repo, tx) => {
      // Lock order (db/transaction.ts): the accounts before their credentials, the jobs, the audit chain last.
      await repo.lockAccounts(pendings.map((p) => p.accountId));
      const holding = await repo.heldJobs(
        pendings.map((p) => ({ jobId: p.request.job.id, attempt: p.request.job.attempts })),
        options.workerId,
      );
      const mine = pendings.map((p) => p.request).filter((r) => holding.has(r.job.id));
      if (mine.length === 0) return new Map<string, AccountStatusValue>();
      const statuses = await writePromotions(repo, mine);
      const advanced = await repo.advanceJobs(
        mine.map((r) => ({
          jobId: r.job.id,
          attempt: r.job.attempts,
          phase: 'promoted',
          steps: [...r.steps, { step: 'promote', status: 'done', detail: { version: r.version } }],
        })),
        options.workerId,
      );
      // Found held above; one taken since rolls the whole group back, to be written again one by one.
      const lost = mine.find((r) => !advanced.has(r.job.id));
      if (lost) throw new JobLostError(lost.job.id);
      await deps.audit.recordMany(
        mine.map((r) => ({
          ctx: workerContext(r.job),
          event: {
            action: 'credential.reset',
            objectType: 'credential',
            objectId: r.credentialId,
            actorName: 'worker',
            details: {
              jobId: r.job.id,
              accountId: r.accountId,
              version: r.version,
              previousVersion: r.previousVersion,
              changeOnTarget: r.changeOnTarget,
              verified: r.verified,
            },
          },
        })),
        tx,
      );
      return new Map(mine.map((r) => [r.job.id, statuses.get(r.accountId)!]));
    });
    for (const p of pendings) {
      p.status = written.get(p.request.job.id);
      if (p.status === undefined) p.error = new JobLostError(p.request.job.id);
      else p.request.journal.moved({ phase: 'promoted' });
    }
  }

  const group = createGroupedWrites(writeTogether, (p: Pending) => p.accountId, { logger: deps.logger, what: 'promotions' });

  return {
    async promote(request) {
      const pending: Pending = { accountId: request.accountId, request };
      await group.add(pending);
      if (pending.error !== undefined) throw pending.error;
      return pending.status!;
    },
    drain: () => group.drain(),
  };
}
