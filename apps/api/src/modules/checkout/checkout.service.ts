import type { CheckoutRequest, CheckoutResponse } from '@passman/contracts';
import type { Database } from '@passman/db';
import type { Vault } from '@passman/vault';
import { runInTransaction } from '../../db/transaction.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { sshKeyTypeFromDb } from '../../lib/ssh-key-type.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../auth/actor.js';
import { assertUnsealed } from '../credentials/credentials.service.js';
import { openedSecret } from '../credentials/secret-material.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { PoliciesService } from '../policies/policies.service.js';

const TYPE_ORDER = { PASSWORD: 0, SSH_KEY: 1, PIN: 2 } as const;

/**
 * CheckOut reveals a secret, CheckIn returns it. The audit event is written (and committed)
 * before the secret is decrypted: if the trail cannot record the access, nothing is revealed.
 */
export function createCheckoutService(deps: { db: Database; vault: Vault; audit: AuditService; policies: PoliciesService; jobs: JobsService; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  return {
    async checkout(ctx: RequestContext, accountId: string, request: CheckoutRequest): Promise<CheckoutResponse> {
      assertUnsealed(deps.vault);
      const actor = ctx.actor!;
      const account = await deps.db.account.findUnique({
        where: { id: accountId },
        include: { credentials: { include: { versions: { where: { state: 'CURRENT' }, orderBy: { version: 'desc' }, take: 1 } } } },
      });
      if (!account) throw notFound('Account');
      const candidates = account.credentials
        .filter((c) => c.versions.length > 0)
        .filter((c) => !request.credentialId || c.id === request.credentialId)
        .filter((c) => !request.credentialType || c.type === request.credentialType)
        .filter((c) => !request.sshKeyType || c.slot === request.sshKeyType)
        .sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.slot.localeCompare(b.slot));
      const credential = candidates[0];
      if (!credential) throw new AppError('NOT_FOUND', 'The account has no current credential of that kind');
      const version = credential.versions[0]!;
      const policy = await deps.policies.effective(account.policyId);
      const at = now();
      const holder = account.checkedOutById && account.checkoutExpiresAt && account.checkoutExpiresAt > at ? account.checkedOutById : null;
      if (policy.checkoutExclusive && holder && holder !== actor.userId) {
        throw new AppError('CONFLICT', 'Another user has this account checked out exclusively until they check it in or the checkout expires', {
          details: { expiresAt: account.checkoutExpiresAt?.toISOString() },
        });
      }
      const expiresAt = policy.checkoutMaxMinutes ? new Date(at.getTime() + policy.checkoutMaxMinutes * 60_000) : null;
      await runInTransaction(deps.db, async (tx) => {
        await deps.audit.record(
          ctx,
          {
            action: 'credential.checkout',
            objectType: 'credential',
            objectId: credential.id,
            details: { accountId, type: credential.type, slot: credential.slot, version: version.version, ...(request.reason ? { reason: request.reason } : {}) },
          },
          tx,
        );
        await tx.account.update({ where: { id: accountId }, data: { checkedOutById: actor.userId, checkedOutAt: at, checkoutExpiresAt: expiresAt } });
      });
      const secret = openedSecret(deps.vault, version);
      return {
        credentialId: credential.id,
        type: credential.type,
        sshKeyType: credential.sshKeyType ? sshKeyTypeFromDb(credential.sshKeyType) : null,
        version: version.version,
        secret,
        publicKey: version.publicKey,
        fingerprint: version.fingerprint,
        checkedOutAt: at.toISOString(),
        expiresAt: expiresAt?.toISOString() ?? null,
      };
    },

    async checkin(ctx: RequestContext, accountId: string) {
      const actor = ctx.actor!;
      const account = await deps.db.account.findUnique({ where: { id: accountId }, include: { credentials: { select: { type: true, slot: true } } } });
      if (!account) throw notFound('Account');
      if (!account.checkedOutById) throw new AppError('CONFLICT', 'The account is not checked out');
      if (account.checkedOutById !== actor.userId && !actor.permissions.has('users.manage')) {
        throw new AppError('CONFLICT', 'Another user checked this account out; only they (or an administrator) can check it in');
      }
      await runInTransaction(deps.db, async (tx) => {
        await tx.account.update({ where: { id: accountId }, data: { checkedOutById: null, checkedOutAt: null, checkoutExpiresAt: null } });
        await deps.audit.record(ctx, { action: 'credential.checkin', objectType: 'account', objectId: accountId, details: { checkedOutBy: account.checkedOutById } }, tx);
      });
      const policy = await deps.policies.effective(account.policyId);
      const hasPassword = account.credentials.some((c) => c.type === 'PASSWORD');
      // AutoReset: the secret someone has seen is changed once they are done with it.
      const resetJob = policy.resetAfterCheckin && hasPassword
        ? await deps.jobs.requestReset(ctx, accountId, { credentialType: 'PASSWORD', generate: true, changeOnTarget: true })
        : null;
      return { resetJob };
    },
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;
