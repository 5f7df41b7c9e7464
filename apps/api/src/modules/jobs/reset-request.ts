import { randomUUID } from 'node:crypto';
import type { Policy, ResetRequest, SshKeyType } from '@passman/contracts';
import { DEFAULT_SSH_KEY_TYPE } from '@passman/contracts/limits';
import type { Vault } from '@passman/vault';
import type { Tx } from '../../db/transaction.js';
import { AppError } from '../../lib/app-error.js';
import { sshKeyTypeToDb } from '../../lib/ssh-key-type.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import { produceSecret, sealedVersion, slotOf, type SecretMaterial } from '../credentials/secret-material.js';
import type { JobQueue } from './job-queue.js';
import { createJobsRepo } from './jobs.repo.js';

type Credential = { id: string; type: 'PASSWORD' | 'SSH_KEY' | 'PIN'; slot: string };
export interface ResetAccount {
  id: string;
  status: 'InSync' | 'NotInSync' | 'Unknown';
  credentials: Credential[];
}

/** The credential a reset is about: by id, or by type (and SSH key type; ssh-rsa is the default key). */
export function pickCredential(
  account: ResetAccount,
  request: Pick<ResetRequest, 'credentialId' | 'credentialType' | 'sshKeyType'>,
): { credential?: Credential; slot: string; sshKeyType: SshKeyType | null } {
  if (request.credentialId) {
    const credential = account.credentials.find((c) => c.id === request.credentialId);
    if (!credential) throw new AppError('NOT_FOUND', 'That credential does not belong to this account');
    if (credential.type !== request.credentialType)
      throw new AppError('VALIDATION_FAILED', 'credentialType does not match the credential', {
        errors: [{ path: 'body.credentialType', message: `the credential is a ${credential.type}` }],
      });
    return { credential, slot: credential.slot, sshKeyType: credential.type === 'SSH_KEY' ? (credential.slot as SshKeyType) : null };
  }
  if (request.credentialType !== 'SSH_KEY') {
    const slot = slotOf(request.credentialType, null);
    return { credential: account.credentials.find((c) => c.slot === slot), slot, sshKeyType: null };
  }
  const keys = account.credentials.filter((c) => c.type === 'SSH_KEY');
  const sshKeyType = request.sshKeyType ?? (keys.length === 1 ? (keys[0]!.slot as SshKeyType) : DEFAULT_SSH_KEY_TYPE);
  return { credential: keys.find((c) => c.slot === sshKeyType), slot: sshKeyType, sshKeyType };
}

/**
 * The rules a reset request must pass before anything is stored, for the one account of a single reset or all the accounts of a bulk one: a
 * request that fails them for any account is refused as a whole, naming those accounts.
 */
export function assertResetAllowed(accounts: ResetAccount[], request: ResetRequest): void {
  if (request.credentialType === 'PIN' && request.changeOnTarget) {
    throw new AppError('UNPROCESSABLE', 'A PIN cannot be changed on an SSH target: uncheck Change on target to change it in the vault only');
  }
  const losingSync = accountsLosingSync(accounts, request);
  if (losingSync.length > 0) {
    const message =
      accounts.length === 1
        ? 'This account is InSync: changing only the vault copy means PassMan no longer holds the credential that works on the target.'
        : `${losingSync.length} of the accounts are InSync: changing only their vault copies means PassMan no longer holds the credentials that work on their targets.`;
    throw new AppError('CONFLICT', `${message} Send acknowledgeLossOfSync: true if that is what you want.`, {
      details: { reason: 'WOULD_LOSE_SYNC', accountIds: losingSync.slice(0, 20).map((a) => a.id) },
    });
  }
}

/** The InSync accounts a vault-only reset would take out of sync, unless the request acknowledges it. */
function accountsLosingSync<A extends Pick<ResetAccount, 'status'>>(
  accounts: A[],
  request: Pick<ResetRequest, 'changeOnTarget' | 'acknowledgeLossOfSync'>,
): A[] {
  return request.changeOnTarget || request.acknowledgeLossOfSync ? [] : accounts.filter((a) => a.status === 'InSync');
}

/** The new secret of a reset, produced before any transaction (key generation is slow). */
export async function produceResetSecret(account: ResetAccount, request: ResetRequest, policy: Policy): Promise<PendingReset> {
  const picked = pickCredential(account, request);
  const material = await produceSecret(
    {
      type: request.credentialType,
      sshKeyType: picked.sshKeyType ?? undefined,
      generate: request.generate,
      value: request.credentialType === 'SSH_KEY' ? undefined : request.newSecret,
      privateKey: request.credentialType === 'SSH_KEY' ? request.newSecret : undefined,
    },
    policy,
  );
  return { account, picked, material };
}

export interface PendingReset {
  account: ResetAccount;
  picked: ReturnType<typeof pickCredential>;
  material: SecretMaterial;
}

/**
 * Step 1 of resets, inside the caller's transaction: for each account, the new secret stored
 * as a PENDING version and the job that will apply it — both before anything touches the
 * target. A group of accounts takes a handful of statements, so a bulk reset of 1,000 is
 * tens of transactions, not thousands.
 *
 * An account whose reset is already in progress: `refuse` answers 409 (a single request);
 * `fail-job` records its job as failed with RESET_IN_PROGRESS (a bulk request, which checked
 * beforehand, lost a race with another request); `skip` leaves it out (scheduled rotation: it
 * comes round again). An account deleted since the request read it: `refuse` answers 404; the
 * others leave it out (a batch's total shrinks). Returns all job ids and those queued (the
 * others are stored failed). The jobs are queued as the transaction commits.
 */
export async function storePendingResets(
  deps: { vault: Vault; audit: AuditService; queue: Pick<JobQueue, 'name'> },
  tx: Tx,
  ctx: RequestContext,
  input: { resets: PendingReset[]; request: ResetRequest; batchId?: string; onBusy: 'refuse' | 'fail-job' | 'skip'; actorName?: string },
): Promise<{ jobIds: string[]; queued: string[] }> {
  const repo = createJobsRepo(tx);
  // Serialise resets of one account: a second request waits here, then sees the first. First in the
  // transaction (lock order: db/transaction.ts); an account deleted since it was read is gone now.
  const locked = new Set(await repo.lockAccounts(input.resets.map((r) => r.account.id)));
  const vanished = input.resets.filter((r) => !locked.has(r.account.id)).map((r) => r.account.id);
  if (vanished.length > 0 && input.onBusy === 'refuse') throw new AppError('NOT_FOUND', 'Account not found', { details: { missing: vanished } });
  const present = input.resets.filter((r) => locked.has(r.account.id));
  // A batch whose account was deleted while the batch was being stored leaves it out.
  if (vanished.length > 0 && input.batchId) await repo.shrinkBatch(input.batchId, vanished.length);
  if (present.length === 0) return { jobIds: [], queued: [] };
  const accountIds = present.map((r) => r.account.id);
  const busy = await repo.resetsInProgress(accountIds);
  if (input.onBusy === 'refuse' && busy.size > 0) {
    throw new AppError('CONFLICT', 'A reset of this account is already in progress; wait for it to finish', { details: { jobId: [...busy.values()][0] } });
  }
  // The InSync rule again, on the status as it is now: a check that ended since the request was
  // read may have made an account InSync (its row is locked now, so none can until commit).
  const statusNow = input.request.changeOnTarget || input.request.acknowledgeLossOfSync ? new Map() : await repo.accountStatuses(accountIds);
  const accountsNow = present.map((r) => ({ ...r.account, status: statusNow.get(r.account.id) ?? r.account.status }));
  if (input.onBusy === 'refuse') assertResetAllowed(accountsNow, input.request);
  const losingSync = new Set(accountsLosingSync(accountsNow, input.request).map((a) => a.id));
  const actorId = ctx.actor?.userId ?? null;
  const resets = input.onBusy === 'skip' ? present.filter((r) => !busy.has(r.account.id)) : present;
  const latest = await repo.latestVersions(resets.flatMap((r) => (r.picked.credential ? [r.picked.credential.id] : [])));
  const plan = resets.map(({ account, picked, material }) => {
    const credentialId = picked.credential?.id ?? randomUUID();
    const busyWith = busy.get(account.id);
    // Not stored, its job recorded as failed: another reset holds the account, or it became InSync.
    const refusal = busyWith ? 'RESET_IN_PROGRESS' : losingSync.has(account.id) ? 'WOULD_LOSE_SYNC' : null;
    const params = {
      credentialType: input.request.credentialType,
      sshKeyType: picked.sshKeyType,
      changeOnTarget: input.request.changeOnTarget,
      origin: material.origin,
      ...(material.restoredFrom ? { restoredFrom: material.restoredFrom } : {}),
      ...(input.request.acknowledgeLossOfSync ? { acknowledgeLossOfSync: true } : {}),
    };
    const pending = refusal ? null : { id: randomUUID(), version: (latest.get(credentialId) ?? 0) + 1 };
    return { account, picked, material, credentialId, params, jobId: randomUUID(), busyWith, refusal, pending };
  });
  await repo.storeResets({
    credentials: plan
      .filter((p) => p.pending && !p.picked.credential)
      .map((p) => ({
        id: p.credentialId,
        accountId: p.account.id,
        type: input.request.credentialType,
        sshKeyType: p.picked.sshKeyType ? sshKeyTypeToDb(p.picked.sshKeyType) : null,
        slot: p.picked.slot,
      })),
    versions: plan.flatMap((p) =>
      p.pending
        ? [
            {
              id: p.pending.id,
              credentialId: p.credentialId,
              ...sealedVersion(deps.vault, p.material, { credentialId: p.credentialId, version: p.pending.version, state: 'PENDING', createdById: actorId }),
              jobId: p.jobId,
            },
          ]
        : [],
    ),
    jobs: plan.map((p) => {
      const base = {
        id: p.jobId,
        kind: 'RESET' as const,
        accountId: p.account.id,
        batchId: input.batchId ?? null,
        requestedById: actorId,
        params: p.params,
        queue: deps.queue.name,
      };
      if (p.pending) return { ...base, credentialId: p.credentialId, pendingVersionId: p.pending.id };
      const errorMessage =
        p.refusal === 'RESET_IN_PROGRESS'
          ? 'Another reset of this account was in progress'
          : 'The account became InSync before the reset was stored; a vault-only reset needs acknowledgeLossOfSync';
      return { ...base, credentialId: p.picked.credential?.id ?? null, state: 'failed' as const, errorCode: p.refusal, errorMessage, finishedAt: new Date() };
    }),
    steps: plan.map((p) =>
      p.pending
        ? { jobId: p.jobId, step: 'pending-stored', status: 'done', detail: { version: p.pending.version } }
        : { jobId: p.jobId, step: 'pending-stored', status: 'failed', detail: { reason: p.refusal, busyWith: p.busyWith ?? null } },
    ),
  });
  await deps.audit.recordMany(
    plan.map((p) => ({
      ctx,
      event: {
        ...(input.actorName ? { actorName: input.actorName } : {}),
        action: p.material.origin === 'RESTORED' ? 'credential.restore.requested' : 'credential.reset.requested',
        objectType: 'credential',
        objectId: p.pending ? p.credentialId : (p.picked.credential?.id ?? null),
        outcome: p.pending ? 'success' : 'failure',
        details: { accountId: p.account.id, jobId: p.jobId, ...(p.pending ? { version: p.pending.version } : { reason: p.refusal }), ...p.params },
      },
    })),
    tx,
  );
  return { jobIds: plan.map((p) => p.jobId), queued: plan.filter((p) => p.pending).map((p) => p.jobId) };
}
