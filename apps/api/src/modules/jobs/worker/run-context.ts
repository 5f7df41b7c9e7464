import type { TargetConnector } from '@passman/connectors';
import type { EndedJobState } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import type { AuditRecord, AuditService } from '../../audit/audit.service.js';
import type { HostKeyTrust } from '../../host-keys/host-key-trust.js';
import type { HostKeysRepo } from '../../host-keys/host-keys.repo.js';
import type { AccountContext } from './account-access.js';
import type { FaultInjector } from './fault-injection.js';
import type { JobJournal } from './job-journal.js';
import type { AccountJobRecord, JobRecord } from './queue.repo.js';
import type { StepRecord, WorkerRepo } from './worker.repo.js';

export type { AccountJobRecord, JobRecord } from './queue.repo.js';
export type { StepRecord } from './worker.repo.js';

export interface RunnerDeps {
  /** The runs' reads and writes (worker.repo.ts). */
  repo: WorkerRepo;
  /** Where a check records a host key the target offered that is not pinned. */
  hostKeys: Pick<HostKeysRepo, 'recordOffered'>;
  /** Which pinned host keys carry a valid signed approval. */
  hostKeyTrust: HostKeyTrust;
  vault: Vault;
  connector: TargetConnector;
  audit: AuditService;
  faults: FaultInjector;
  logger: Logger;
  /** Writes resets' promotions, many in one transaction (promotions.ts); resolves with the account's status as written. */
  promotions: { promote(request: PromotionRequest): Promise<AccountStatusValue> };
}

export type AccountStatusValue = 'InSync' | 'NotInSync' | 'Unknown';

/**
 * Step 6 of a reset as its run asks for it: the pending version CURRENT, the one it replaces
 * RETIRED, the job's phase `promoted` with `steps`, and the audit event.
 */
export interface PromotionRequest {
  job: AccountJobRecord;
  journal: JobJournal;
  accountId: string;
  credentialId: string;
  pendingId: string;
  version: number;
  previousId: string | null;
  previousVersion: number | null;
  changeOnTarget: boolean;
  /** Proven by a fresh login (the credential's check state is then "worked" rather than unknown). */
  verified: boolean;
  steps: StepRecord[];
}

export interface RunInput {
  job: AccountJobRecord;
  /** The job's account as it was when the run started. */
  ctx: AccountContext;
  journal: JobJournal;
  /** False on the last attempt: retryable failures then end the job instead of rescheduling it. */
  canRetry: boolean;
}

/** Whether one credential logged in, as a check found. */
export interface CheckResult {
  credentialId: string;
  type: 'PASSWORD' | 'SSH_KEY' | 'PIN';
  sshKeyType: string | null;
  ok: boolean;
  code: string | null;
}

/**
 * Runs an IMPORT job: its import's rows, from where an earlier run stopped, and the job's end.
 * The imports module implements it; the worker hands the job over, renews its lease and, when
 * stopping, aborts `signal` — the run then gives the job back between two batches.
 */
export interface ImportJobRunner {
  run(job: JobRecord, options: { workerId: string; signal: AbortSignal }): Promise<void>;
}

export interface RunOutcome {
  state: EndedJobState;
  errorCode?: string;
  errorMessage?: string;
  // Written with the final state, in one transaction with other jobs' ends (job-completions.ts):
  phase?: string;
  /** A check's results: stored per credential, on the job, and as the account's status. */
  check?: { checkedAt: Date; results: CheckResult[] };
  /**
   * The account's status where no check's results decide it (a reset that cannot confirm its
   * change): written with the end, so that a run that no longer holds its job leaves it too.
   */
  accountStatus?: { status: 'InSync' | 'NotInSync' | 'Unknown'; statusReason: string | null };
  /** The last timeline steps. */
  steps?: StepRecord[];
  /** The account's status as a step of the run wrote it (a promotion): for those told of the end, not written again. */
  statusWritten?: AccountStatusValue;
  audit?: AuditRecord;
}

/** The audit context of work done by a worker on behalf of the job's requester. */
export function workerContext(job: { id: string }) {
  return {
    requestId: `job:${job.id}`,
    ip: null,
    userAgent: null,
    actor: null,
  };
}
