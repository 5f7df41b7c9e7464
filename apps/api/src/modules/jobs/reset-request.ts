import { randomUUID } from 'node:crypto';
import type { Policy, ResetRequest, SshKeyType } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import type { Tx } from '../../db/transaction.js';
import { AppError } from '../../lib/app-error.js';
import { sshKeyTypeToDb } from '../../lib/ssh-key-type.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../auth/actor.js';
import { produceSecret, sealedVersion, slotOf } from '../credentials/secret-material.js';

type Credential = { id: string; type: 'PASSWORD' | 'SSH_KEY' | 'PIN'; slot: string };
export interface ResetAccount {
  id: string;
  status: 'InSync' | 'NotInSync' | 'Unknown';
  credentials: Credential[];
}

/** The credential a reset is about: by id, or by type (and SSH key type; ssh-rsa is the default key). */
export function pickCredential(account: ResetAccount, request: Pick<ResetRequest, 'credentialId' | 'credentialType' | 'sshKeyType'>): { credential?: Credential; slot: string; sshKeyType: SshKeyType | null } {
  if (request.credentialId) {
    const credential = account.credentials.find((c) => c.id === request.credentialId);
    if (!credential) throw new AppError('NOT_FOUND', 'That credential does not belong to this account');
    if (credential.type !== request.credentialType) throw new AppError('VALIDATION_FAILED', 'credentialType does not match the credential', { errors: [{ path: 'body.credentialType', message: `the credential is a ${credential.type}` }] });
    return { credential, slot: credential.slot, sshKeyType: credential.type === 'SSH_KEY' ? (credential.slot as SshKeyType) : null };
  }
  if (request.credentialType !== 'SSH_KEY') {
    const slot = slotOf(request.credentialType, null);
    return { credential: account.credentials.find((c) => c.slot === slot), slot, sshKeyType: null };
  }
  const keys = account.credentials.filter((c) => c.type === 'SSH_KEY');
  const sshKeyType = request.sshKeyType ?? (keys.length === 1 ? (keys[0]!.slot as SshKeyType) : 'ssh-rsa');
  return { credential: keys.find((c) => c.slot === sshKeyType), slot: sshKeyType, sshKeyType };
}

/** The rules a reset request must pass before anything is stored (DESIGN §3, the seed's warnings). */
export function assertResetAllowed(account: ResetAccount, request: ResetRequest): void {
  if (request.credentialType === 'PIN' && request.changeOnTarget) {
    throw new AppError('UNPROCESSABLE', 'A PIN cannot be changed on an SSH target: uncheck Change on target to change it in the vault only');
  }
  if (!request.changeOnTarget && account.status === 'InSync' && !request.acknowledgeLossOfSync) {
    throw new AppError('CONFLICT', 'This account is InSync: changing only the vault copy means PassMan no longer holds the credential that works on the target. Send acknowledgeLossOfSync: true if that is what you want.', {
      details: { reason: 'WOULD_LOSE_SYNC' },
    });
  }
}

/**
 * Step 1 of a reset, inside the caller's transaction: the new secret stored as a PENDING
 * version and the job that will apply it — both before anything touches the target.
 */
export async function storePendingReset(
  deps: { vault: Vault; audit: AuditService },
  tx: Tx,
  ctx: RequestContext,
  input: { account: ResetAccount; request: ResetRequest; policy: Policy; batchId?: string },
) {
  const { account, request } = input;
  // Serialise resets of one account: the second request waits here, then sees the first.
  await tx.$executeRaw`SELECT 1 FROM accounts WHERE id = ${account.id}::uuid FOR UPDATE`;
  const busy = await tx.job.findFirst({ where: { accountId: account.id, kind: 'RESET', state: { in: ['queued', 'running', 'unverified'] } }, select: { id: true } });
  if (busy) throw new AppError('CONFLICT', 'A reset of this account is already in progress; wait for it to finish', { details: { jobId: busy.id } });

  const picked = pickCredential(account, request);
  const material = await produceSecret(
    {
      type: request.credentialType,
      sshKeyType: picked.sshKeyType ?? undefined,
      generate: request.generate,
      value: request.credentialType === 'SSH_KEY' ? undefined : request.newSecret,
      privateKey: request.credentialType === 'SSH_KEY' ? request.newSecret : undefined,
    },
    input.policy,
  );
  const credential =
    picked.credential ??
    (await tx.credential.create({
      data: {
        id: randomUUID(),
        accountId: account.id,
        type: request.credentialType,
        sshKeyType: picked.sshKeyType ? sshKeyTypeToDb(picked.sshKeyType) : null,
        slot: picked.slot,
      },
    }));
  const last = await tx.credentialVersion.findFirst({ where: { credentialId: credential.id }, orderBy: { version: 'desc' }, select: { version: true } });
  const version = (last?.version ?? 0) + 1;
  const jobId = randomUUID();
  const pending = await tx.credentialVersion.create({
    data: {
      credentialId: credential.id,
      ...sealedVersion(deps.vault, material, { credentialId: credential.id, version, state: 'PENDING', createdById: ctx.actor?.userId ?? null }),
      jobId,
    },
  });
  const params = {
    credentialType: request.credentialType,
    sshKeyType: picked.sshKeyType,
    changeOnTarget: request.changeOnTarget,
    origin: material.origin,
    ...(request.acknowledgeLossOfSync ? { acknowledgeLossOfSync: true } : {}),
  };
  await tx.job.create({
    data: { id: jobId, kind: 'RESET', accountId: account.id, credentialId: credential.id, batchId: input.batchId ?? null, requestedById: ctx.actor?.userId ?? null, params, pendingVersionId: pending.id },
  });
  await tx.jobStep.create({ data: { jobId, step: 'pending-stored', status: 'done', detail: { version } } });
  await deps.audit.record(
    ctx,
    { action: 'credential.reset.requested', objectType: 'credential', objectId: credential.id, details: { accountId: account.id, jobId, version, ...params } },
    tx,
  );
  return jobId;
}
