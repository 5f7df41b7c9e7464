import type { TargetConnector } from '@passman/connectors';
import type { Database } from '@passman/db';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import type { AuditService } from '../../audit/audit.service.js';
import type { FaultInjector } from './fault-injection.js';
import type { JobJournal } from './job-journal.js';

export interface RunnerDeps {
  db: Database;
  vault: Vault;
  connector: TargetConnector;
  audit: AuditService;
  faults: FaultInjector;
  logger: Logger;
}

export type JobRecord = NonNullable<Awaited<ReturnType<Database['job']['findUnique']>>>;

export interface RunInput {
  job: JobRecord;
  journal: JobJournal;
  /** False on the last attempt: retryable failures then end the job instead of rescheduling it. */
  canRetry: boolean;
}

export interface RunOutcome {
  state: 'succeeded' | 'failed' | 'unverified';
  errorCode?: string;
  errorMessage?: string;
}

/** The audit context of work done by a worker on behalf of the job's requester. */
export function workerContext(job: JobRecord) {
  return {
    requestId: `job:${job.id}`,
    ip: null,
    userAgent: null,
    actor: null,
  };
}
