import type { Job, JobStep } from '@passman/contracts';
import type { JobRow } from './jobs.repo.js';

export function presentJob(row: JobRow, usernames: Map<string, string>): Job {
  const requester = row.requestedById ? usernames.get(row.requestedById) : undefined;
  return {
    id: row.id,
    kind: row.kind,
    state: row.state,
    account: { id: row.account.id, username: row.account.username, targetId: row.account.targetId, targetName: row.account.targetName },
    credentialId: row.credentialId,
    batchId: row.batchId,
    requestedBy: row.requestedById && requester ? { id: row.requestedById, username: requester } : null,
    params: (row.params ?? {}) as Record<string, unknown>,
    results: (Array.isArray(row.results) ? row.results : []) as Job['results'],
    errorCode: row.errorCode,
    errorMessage: row.errorMessage,
    attempts: row.attempts,
    steps: row.steps.map((s): JobStep => ({
      step: s.step,
      status: s.status as JobStep['status'],
      detail: (s.detail ?? null) as JobStep['detail'],
      at: s.at.toISOString(),
    })),
    createdAt: row.createdAt.toISOString(),
    startedAt: row.startedAt?.toISOString() ?? null,
    finishedAt: row.finishedAt?.toISOString() ?? null,
  };
}
