import type { Logger } from 'pino';
import type { AuditService } from '../../audit/audit.service.js';
import { hasJobSettled } from '@passman/contracts';
import { statusOfCheck } from './account-status.js';
import { createGroupedWrites } from './grouped-writes.js';
import { JobLostError } from './job-lost-error.js';
import { workerContext, type RunOutcome } from './run-context.js';
import type { CompletionRow, WorkerRepo } from './worker.repo.js';

interface JobRef {
  id: string;
  accountId: string;
  batchId: string | null;
  /** The attempt the run claimed (queue.repo `claim`): its end is written only while the job is still the run's. */
  attempts: number;
}

/** How one run of a job ended: with an outcome, or with a retryable failure to try again later. */
export type JobEnd = { job: JobRef; outcome: RunOutcome } | { job: JobRef; retry: { code: string; message: string; delayMs: number } };

/**
 * Writes the ends of runs — check results, account status, audit event, final state, timeline,
 * lease release, the notice to listeners — for many jobs in one transaction (lib/group-commit).
 * With 32 jobs in flight, one transaction per job was most of what a check cost. The end of a
 * run whose job another run has claimed since is not written (worker.repo `writeCompletions`).
 */
export function createJobCompletions(deps: { repo: WorkerRepo; audit: AuditService; logger: Logger }, options: { workerId: string; recoverEveryMs: number }) {
  interface Pending {
    end: JobEnd;
    error?: unknown;
  }

  /** Writes the ends, and the audit events of those written, in one transaction; an end found not to be its run's any more fails with JobLostError. */
  async function writeTogether(pendings: Pending[]): Promise<void> {
    const rows = pendings.map((p) => toCompletionRow(p.end, options.recoverEveryMs));
    const ended = await deps.repo.transaction(async (repo, tx) => {
      const written = new Set(await repo.writeCompletions(rows, options.workerId));
      // Audit events need the chain's lock, which comes last (lock order: db/transaction.ts). A run
      // whose end was not written leaves none: what it found is not what the job records.
      const audits = pendings.flatMap(({ end: e }) =>
        written.has(e.job.id) && 'outcome' in e && e.outcome.audit ? [{ ctx: workerContext(e.job), event: e.outcome.audit }] : [],
      );
      if (audits.length > 0) await deps.audit.recordMany(audits, tx);
      return written;
    });
    for (const p of pendings) if (!ended.has(p.end.job.id)) p.error = new JobLostError(p.end.job.id);
  }

  const group = createGroupedWrites(writeTogether, (p: Pending) => p.end.job.accountId, { logger: deps.logger, what: 'job ends' });

  return {
    /**
     * Resolves once the end is committed. Rejects if it could not be written (the job's lease then
     * lapses and a worker runs it again), or with JobLostError if the job is no longer this run's:
     * another run claimed it after this one's lease lapsed, and nothing of this end was written.
     */
    async complete(end: JobEnd): Promise<void> {
      const pending: Pending = { end };
      await group.add(pending);
      if (pending.error !== undefined) throw pending.error;
    },
    drain: () => group.drain(),
  };
}

export type JobCompletions = ReturnType<typeof createJobCompletions>;

function toCompletionRow(end: JobEnd, recoverEveryMs: number): CompletionRow {
  const base = { jobId: end.job.id, attempt: end.job.attempts, accountId: end.job.accountId, results: null, accountStatus: null, credentialChecks: [] };
  if ('retry' in end) {
    return {
      ...base,
      state: null,
      phase: null,
      errorCode: end.retry.code,
      errorMessage: end.retry.message,
      finished: false,
      runAfter: new Date(Date.now() + end.retry.delayMs),
      steps: [{ step: 'retry', status: 'info', detail: { code: end.retry.code, inSeconds: Math.round(end.retry.delayMs / 1000) } }],
    };
  }
  const { outcome } = end;
  const check = outcome.check;
  return {
    ...base,
    state: outcome.state,
    phase: outcome.phase ?? null,
    errorCode: outcome.errorCode ?? null,
    errorMessage: outcome.errorMessage ?? null,
    finished: outcome.state !== 'unverified',
    // An unverified job still being recovered runs again until the target answers.
    runAfter: hasJobSettled({ state: outcome.state, errorCode: outcome.errorCode ?? null }) ? null : new Date(Date.now() + recoverEveryMs),
    steps: (outcome.steps ?? []).map((s) => ({ step: s.step, status: s.status, detail: s.detail ?? null })),
    ...(outcome.accountStatus && { accountStatus: { ...outcome.accountStatus, checkedAt: null } }),
    ...(check && {
      results: check.results.map((r) => ({ ...r })),
      accountStatus: { ...statusOfCheck(check.results), checkedAt: check.checkedAt },
      credentialChecks: check.results.map((r) => ({ id: r.credentialId, ok: r.ok, code: r.code, at: check.checkedAt })),
    }),
  };
}
