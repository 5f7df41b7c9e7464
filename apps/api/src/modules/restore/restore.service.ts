import { timingSafeEqual } from 'node:crypto';
import type { RestoreRequest, RestoreResponse, SshKeyType } from '@passman/contracts';
import { isWeakSshKey, type Vault } from '@passman/vault';
import type { RequestContext } from '../../lib/actor.js';
import { AppError, notFound } from '../../lib/app-error.js';
import type { AccessService } from '../access/index.js';
import type { ApprovalsService } from '../approvals/index.js';
import type { AuditService } from '../audit/index.js';
import {
  assertUnsealed,
  complianceOf,
  creatorIds,
  openedSecret,
  presentVersion,
  sealedVersion,
  secretCompliance,
  sshKeyCompliance,
  type SecretMaterial,
} from '../credentials/index.js';
import { assertResetAllowed, type JobsService } from '../jobs/index.js';
import type { PoliciesService } from '../policies/index.js';
import type { StepUpGuard } from '../step-up/index.js';
import type { RestoreRepo } from './restore.repo.js';

/**
 * Restore: an older version's value becomes the credential's value again. Never by editing the
 * old row — the history stays as it happened: a new version (origin RESTORED) holds the value.
 *   - on the target: a RESET job whose new secret is the old value, so the never-lose protocol
 *     (pending version first, apply, verify with a fresh login, promote) is the reset's own;
 *   - in the vault only: the new version is CURRENT at once and the account Unknown until checked.
 * A value today's policy refuses is restored only when the request accepts that (acceptNoncompliant).
 * Either way, an approval rule on resets of the account applies (dual control).
 */
export function createRestoreService(deps: {
  repo: RestoreRepo;
  vault: Vault;
  policies: Pick<PoliciesService, 'effective'>;
  audit: AuditService;
  access: AccessService;
  stepUp: StepUpGuard;
  jobs: Pick<JobsService, 'requestReset'>;
  /** Dual control: where a reset needs an approval, so does a vault-only restore (it changes the current secret as much). */
  approvals: Pick<ApprovalsService, 'consume' | 'recordUse'>;
}) {
  return {
    async restore(ctx: RequestContext, credentialId: string, versionNo: number, request: RestoreRequest): Promise<RestoreResponse> {
      assertUnsealed(deps.vault);
      const credential = await deps.repo.credential(credentialId);
      if (!credential) throw notFound('Credential');
      // A credential of an account the caller cannot see does not exist, for them.
      await deps.access.require(ctx, { type: 'account', id: credential.accountId }, request.onTarget ? 'reset' : 'update').catch((error: unknown) => {
        throw error instanceof AppError && error.code === 'NOT_FOUND' ? notFound('Credential') : error;
      });
      await deps.stepUp.require(ctx);
      const old = await deps.repo.version(credentialId, versionNo);
      if (!old) throw notFound('Version');
      // The CURRENT one is the value already; PENDING and FAILED ones never proved to work anywhere.
      if (old.state !== 'RETIRED') {
        throw new AppError('CONFLICT', `Version ${versionNo} is ${old.state}: only a retired version can be restored`, {
          details: { reason: 'VERSION_NOT_RESTORABLE', state: old.state },
        });
      }
      const material = await restoredMaterial(deps, credential, old);
      if (material.compliant === false && !request.acceptNoncompliant) {
        throw new AppError(
          'CONFLICT',
          `Version ${versionNo} does not meet the account's policy as it stands today. Send acceptNoncompliant: true to restore it anyway (the account shows Noncompliant).`,
          { details: { reason: 'NONCOMPLIANT' } },
        );
      }
      await assertNotCurrentValue(deps.repo, credentialId, material.secret);
      if (request.onTarget) {
        const job = await deps.jobs.requestReset(
          ctx,
          credential.accountId,
          { credentialId, credentialType: credential.type, changeOnTarget: true },
          { material },
        );
        return { onTarget: true, restoredFrom: versionNo, version: null, job };
      }
      return { onTarget: false, restoredFrom: versionNo, version: await restoreInVault(ctx, credential, material, request), job: null };
    },
  };

  async function restoreInVault(
    ctx: RequestContext,
    credential: { id: string; accountId: string; type: 'PASSWORD' | 'SSH_KEY' | 'PIN' },
    material: SecretMaterial,
    request: RestoreRequest,
  ) {
    const createdById = ctx.actor?.userId ?? null;
    const row = await deps.repo.transaction(async (repo, tx) => {
      // Lock order (db/transaction.ts): the account first, the audit chain last. A second restore waits here, then sees the first's version.
      const account = await repo.lockAccount(credential.accountId);
      if (!account) throw notFound('Credential');
      const approval = await deps.approvals.consume(tx, ctx, credential.accountId, 'reset');
      // Again under the lock: a restore that committed meanwhile may have made this value the current one.
      await assertNotCurrentValue(repo, credential.id, material.secret);
      const busy = await repo.resetInProgress(credential.accountId);
      if (busy)
        throw new AppError('CONFLICT', 'A reset of this account is in progress; wait for it to finish', {
          details: { reason: 'RESET_IN_PROGRESS', jobId: busy },
        });
      assertResetAllowed([{ id: credential.accountId, status: account.status, credentials: [] }], {
        credentialType: credential.type,
        changeOnTarget: false,
        acknowledgeLossOfSync: request.acknowledgeLossOfSync,
      });
      const version = (await repo.latestVersion(credential.id)) + 1;
      const at = new Date();
      const created = await repo.replaceCurrent(
        credential.id,
        sealedVersion(deps.vault, material, { credentialId: credential.id, version, state: 'CURRENT', createdById }),
        at,
      );
      await repo.recordVaultChange(credential.accountId, complianceOf(await repo.currentCompliance(credential.accountId)), at);
      await deps.audit.record(
        ctx,
        {
          action: 'credential.restore',
          objectType: 'credential',
          objectId: credential.id,
          details: { accountId: credential.accountId, version, restoredFrom: material.restoredFrom, onTarget: false, compliant: material.compliant },
        },
        tx,
      );
      await deps.approvals.recordUse(tx, ctx, approval);
      return created;
    });
    return presentVersion(row, await deps.repo.usernames(creatorIds([row])));
  }

  /** Restoring the value the credential holds already would change nothing (and a host's passwd may refuse an unchanged password). */
  async function assertNotCurrentValue(repo: Pick<RestoreRepo, 'current'>, credentialId: string, secret: string): Promise<void> {
    const current = await repo.current(credentialId);
    if (!current) return;
    const a = Buffer.from(openedSecret(deps.vault, current), 'utf8');
    const b = Buffer.from(secret, 'utf8');
    const same = a.length === b.length && timingSafeEqual(a, b);
    a.fill(0);
    b.fill(0);
    if (same) {
      throw new AppError('CONFLICT', 'That version holds the value the credential has now: there is nothing to restore', {
        details: { reason: 'SAME_AS_CURRENT' },
      });
    }
  }
}

/** The old version's value and public facts, judged against the account's policy as it is today. */
async function restoredMaterial(
  deps: { vault: Vault; policies: Pick<PoliciesService, 'effective'> },
  credential: { id: string; type: 'PASSWORD' | 'SSH_KEY' | 'PIN'; slot: string; account: { policyId: string | null } },
  old: Parameters<typeof openedSecret>[1] & { publicKey: string | null; fingerprint: string | null; keyBits: number | null },
): Promise<SecretMaterial> {
  const policy = await deps.policies.effective(credential.account.policyId);
  const secret = openedSecret(deps.vault, old);
  const base = { secret, origin: 'RESTORED' as const, restoredFrom: old.version, publicKey: old.publicKey, fingerprint: old.fingerprint, keyBits: old.keyBits };
  if (credential.type !== 'SSH_KEY') return { ...base, sshKeyType: null, weak: false, compliant: secretCompliance(credential.type, secret, policy) };
  const sshKeyType = credential.slot as SshKeyType;
  const bits = old.keyBits;
  return {
    ...base,
    sshKeyType,
    weak: bits !== null && isWeakSshKey(sshKeyType, bits),
    compliant: bits === null ? null : sshKeyCompliance({ type: sshKeyType, bits }, policy),
  };
}

export type RestoreService = ReturnType<typeof createRestoreService>;
