import type { ConfirmResetOutcomeRequest, ConfirmResetOutcomeResponse } from '@passman/contracts';
import type { RequestContext } from '../../lib/actor.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { AccessService } from '../access/index.js';
import type { ApprovalsService } from '../approvals/index.js';
import type { AuditService } from '../audit/audit.service.js';
import type { StepUpGuard } from '../step-up/index.js';
import type { JobsRepo } from './jobs.repo.js';
import type { JobsService } from './jobs.service.js';
import { recomputeAccountStatus } from './worker/account-status.js';
import { writePromotions } from './worker/promotions.js';
import type { WorkerRepo } from './worker/worker.repo.js';

const notAwaiting = () =>
  new AppError('CONFLICT', 'This job is not a reset whose outcome is unknown (unverified, OUTCOME_UNKNOWN): there is nothing to confirm', {
    details: { reason: 'NOT_AWAITING_CONFIRMATION' },
  });

/**
 * A person settles a reset whose outcome PassMan could not find out (reset-runner.ts, job-worker.ts
 * `recoveryGivenUp`): they say which secret the target holds. In one transaction, under the
 * account's lock: the pending version is promoted (NEW) or marked FAILED (PREVIOUS) — through the
 * same writes as a reset's run — the account's status recomputed, the job settled so that it never
 * runs again and no longer holds other resets off, and the audit event with before and after.
 * A person's word is not a login: the confirmed credential counts as unchecked (the account
 * Unknown) until a Check proves it.
 */
export function createResetOutcomeService(deps: {
  repo: JobsRepo;
  worker: WorkerRepo;
  audit: AuditService;
  access: AccessService;
  stepUp: StepUpGuard;
  /** Where a reset needs an approval, so does confirming one: it decides which secret is current. */
  approvals: Pick<ApprovalsService, 'consume' | 'recordUse'>;
  jobs: Pick<JobsService, 'get'>;
}) {
  return {
    async confirm(ctx: RequestContext, jobId: string, request: ConfirmResetOutcomeRequest): Promise<ConfirmResetOutcomeResponse> {
      const job = await deps.repo.get(jobId);
      if (!job) throw notFound('Job');
      // A job on an account the caller cannot see does not exist, for them.
      await deps.access.require(ctx, { type: 'account', id: job.accountId }, 'reset').catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'NOT_FOUND' ? notFound('Job') : error;
      });
      await deps.stepUp.require(ctx);
      const settled = await deps.repo.transaction(async (repo, tx) => {
        // Lock order (db/transaction.ts): the account, the approval, its credential versions, the job, the audit chain last.
        // A second confirmation waits here, then finds the job settled.
        if ((await repo.lockAccounts([job.accountId])).length === 0) throw notFound('Job');
        const subject = await repo.awaitingConfirmation(jobId);
        if (!subject) throw notAwaiting();
        // A check that started before would write what it found about the old versions after this commits.
        if (subject.account.busyWith) {
          throw new AppError('CONFLICT', 'A job is running on this account; confirm once it has ended', {
            details: { reason: 'ACCOUNT_BUSY', jobId: subject.account.busyWith },
          });
        }
        const approval = await deps.approvals.consume(tx, ctx, subject.accountId, 'reset');
        const worker = deps.worker.within(tx);
        const { pending, previous, credential } = subject;
        const who = ctx.actor?.username ?? 'PassMan';
        if (request.targetHolds === 'NEW') {
          await writePromotions(worker, [
            {
              accountId: subject.accountId,
              credentialId: credential.id,
              pendingId: pending.id,
              previousId: previous?.id ?? null,
              changeOnTarget: true,
              verified: false,
            },
          ]);
        } else {
          await worker.failVersion(pending.id);
          await worker.forgetCredentialCheck(credential.id);
          await recomputeAccountStatus(worker, subject.accountId);
        }
        // The run would have removed a replaced key from authorized_keys with the new key; nobody does now.
        const oldKeyLeft = request.targetHolds === 'NEW' && credential.type === 'SSH_KEY' && !!previous?.publicKey && previous.publicKey !== pending.publicKey;
        const ended = await repo.settleConfirmed(
          jobId,
          request.targetHolds === 'NEW'
            ? {
                state: 'succeeded',
                phase: 'done',
                errorCode: oldKeyLeft ? 'OLD_KEY_NOT_REMOVED' : null,
                errorMessage: oldKeyLeft
                  ? `${who} confirmed that the target holds the new key; the previous key may still be in authorized_keys: remove it on the host`
                  : null,
              }
            : {
                state: 'failed',
                phase: null,
                errorCode: 'TARGET_KEPT_PREVIOUS',
                errorMessage: `${who} confirmed that the target holds the previous secret; the new one (version ${pending.version}) was discarded`,
              },
          { targetHolds: request.targetHolds, by: who, version: pending.version, previousVersion: previous?.version ?? null },
        );
        if (!ended) throw notAwaiting();
        const status = (await repo.accountStatus(subject.accountId))!;
        const currentVersion = request.targetHolds === 'NEW' ? pending.version : (previous?.version ?? null);
        await deps.approvals.recordUse(tx, ctx, approval);
        await deps.audit.record(
          ctx,
          {
            action: 'credential.reset.confirmed',
            objectType: 'credential',
            objectId: credential.id,
            details: {
              accountId: subject.accountId,
              jobId,
              targetHolds: request.targetHolds,
              ...(request.reason ? { reason: request.reason } : {}),
              ...(approval ? { approvalId: approval.id } : {}),
              before: {
                current: previous?.version ?? null,
                pending: pending.version,
                status: subject.account.status,
                statusReason: subject.account.statusReason,
                job: 'unverified',
              },
              after: {
                current: currentVersion,
                failed: request.targetHolds === 'PREVIOUS' ? pending.version : null,
                retired: request.targetHolds === 'NEW' ? (previous?.version ?? null) : null,
                status: status.status,
                statusReason: status.statusReason,
                job: request.targetHolds === 'NEW' ? 'succeeded' : 'failed',
              },
            },
          },
          tx,
        );
        return { accountId: subject.accountId, credentialId: credential.id, currentVersion, status };
      });
      return {
        targetHolds: request.targetHolds,
        job: await deps.jobs.get(ctx, jobId),
        credentialId: settled.credentialId,
        currentVersion: settled.currentVersion,
        account: { id: settled.accountId, ...settled.status },
      };
    },
  };
}

export type ResetOutcomeService = ReturnType<typeof createResetOutcomeService>;
