import type { CheckoutRequest, CheckoutResponse } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { AppError, notFound } from '../../lib/app-error.js';
import { sshKeyTypeFromDb } from '../../lib/ssh-key-type.js';
import type { AuditService } from '../audit/audit.service.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import { assertUnsealed, openedSecret } from '../credentials/secret-material.js';
import type { JobsService } from '../jobs/jobs.service.js';
import type { PoliciesService } from '../policies/policies.service.js';
import type { AccessService } from '../access/index.js';
import type { StepUpGuard } from '../step-up/index.js';
import type { ApprovalsService } from '../approvals/index.js';
import type { CheckoutHolding, CheckoutRepo, CheckoutTxRepo, RevealableCredential } from './checkout.repo.js';

const TYPE_ORDER = { PASSWORD: 0, SSH_KEY: 1, PIN: 2 } as const;

/** A checkout still open at `at`: until its expiry, or until check-in when it has none. */
function isOpen(holding: CheckoutHolding, at: Date): holding is CheckoutHolding & { checkedOutById: string; checkedOutAt: Date } {
  return holding.checkedOutById !== null && holding.checkedOutAt !== null && (holding.checkoutExpiresAt === null || holding.checkoutExpiresAt > at);
}

/**
 * CheckOut reveals a secret, CheckIn returns it. The audit event is written (and committed)
 * before the secret is decrypted: if the trail cannot record the access, nothing is revealed.
 *
 * An exclusive policy allows one open checkout of the account at a time — a second one, by
 * anyone (the holder too), is refused until check-in or, with a maximum duration, expiry. The
 * check and the write happen in one transaction holding the account's row lock, so concurrent
 * checkouts take turns and exactly one of them wins.
 */
export function createCheckoutService(deps: {
  stepUp: StepUpGuard;
  repo: CheckoutRepo;
  vault: Vault;
  audit: AuditService;
  policies: PoliciesService;
  jobs: JobsService;
  access: AccessService;
  /** Dual control: a checkout under an approval rule uses one approval of the caller's, in this transaction. */
  approvals: Pick<ApprovalsService, 'consume' | 'recordUse'>;
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());

  async function refuseHeld(repo: CheckoutTxRepo, actor: Actor, holding: CheckoutHolding & { checkedOutById: string; checkedOutAt: Date }): Promise<never> {
    const heldByYou = holding.checkedOutById === actor.userId;
    const heldBy = heldByYou ? actor.username : await repo.username(holding.checkedOutById);
    const until = holding.checkoutExpiresAt ? `until it is checked in or expires at ${holding.checkoutExpiresAt.toISOString()}` : 'until it is checked in';
    throw new AppError(
      'CONFLICT',
      heldByYou
        ? `You already have this account checked out exclusively (${until}); check it in before checking it out again`
        : `${heldBy ?? 'Another user'} has this account checked out exclusively, ${until}`,
      {
        details: {
          heldByYou,
          heldBy,
          heldById: holding.checkedOutById,
          checkedOutAt: holding.checkedOutAt.toISOString(),
          expiresAt: holding.checkoutExpiresAt?.toISOString() ?? null,
        },
      },
    );
  }

  return {
    async checkout(ctx: RequestContext, accountId: string, request: CheckoutRequest): Promise<CheckoutResponse> {
      assertUnsealed(deps.vault);
      const actor = ctx.actor!;
      const out = await deps.repo.transaction(async (repo, tx) => {
        // Lock order (db/transaction.ts): the account row first, the audit chain last.
        const holding = await repo.lockAccount(accountId);
        if (!holding) throw notFound('Account');
        // Asked once the account is locked, so a right revoked before now is seen: the secret is never released on a stale answer.
        await deps.access.within(tx).require(ctx, { type: 'account', id: accountId }, 'checkout');
        await deps.stepUp.require(ctx, tx);
        // pending: the new secret of a reset whose outcome is unknown, under the same rules as the current one.
        const candidates: RevealableCredential[] = request.pending ? await repo.unconfirmedPending(accountId) : await repo.currentCredentials(accountId);
        const credential = candidates
          .filter((c) => c.versions.length > 0)
          .filter((c) => !request.credentialId || c.id === request.credentialId)
          .filter((c) => !request.credentialType || c.type === request.credentialType)
          .filter((c) => !request.sshKeyType || c.slot === request.sshKeyType)
          .sort((a, b) => TYPE_ORDER[a.type] - TYPE_ORDER[b.type] || a.slot.localeCompare(b.slot))[0];
        if (!credential && request.pending) {
          throw new AppError('CONFLICT', 'The account has no reset of that credential whose outcome is unknown: there is no pending secret to reveal', {
            details: { reason: 'NOT_AWAITING_CONFIRMATION' },
          });
        }
        if (!credential) throw new AppError('NOT_FOUND', 'The account has no current credential of that kind');
        const version = credential.versions[0]!;
        const policy = await deps.policies.effectiveWithin(tx, holding.policyId);
        const at = now();
        if (policy.checkoutExclusive && isOpen(holding, at)) await refuseHeld(repo, actor, holding);
        const expiresAt = policy.checkoutMaxMinutes ? new Date(at.getTime() + policy.checkoutMaxMinutes * 60_000) : null;
        const approval = await deps.approvals.consume(tx, ctx, accountId, 'checkout');
        await repo.markCheckedOut(accountId, { userId: actor.userId, at, expiresAt });
        await deps.approvals.recordUse(tx, ctx, approval);
        await deps.audit.record(
          ctx,
          {
            action: 'credential.checkout',
            objectType: 'credential',
            objectId: credential.id,
            details: {
              accountId,
              type: credential.type,
              slot: credential.slot,
              version: version.version,
              ...(request.pending ? { pending: true, jobId: credential.jobId } : {}),
              exclusive: policy.checkoutExclusive,
              ...(request.reason ? { reason: request.reason } : {}),
              ...(approval ? { approvalId: approval.id } : {}),
            },
          },
          tx,
        );
        return { credential, version, at, expiresAt };
      });
      const { credential, version, at, expiresAt } = out;
      const secret = openedSecret(deps.vault, version);
      return {
        credentialId: credential.id,
        type: credential.type,
        sshKeyType: credential.sshKeyType ? sshKeyTypeFromDb(credential.sshKeyType) : null,
        version: version.version,
        pending: version.state === 'PENDING',
        secret,
        publicKey: version.publicKey,
        fingerprint: version.fingerprint,
        checkedOutAt: at.toISOString(),
        expiresAt: expiresAt?.toISOString() ?? null,
      };
    },

    async checkin(ctx: RequestContext, accountId: string) {
      const actor = ctx.actor!;
      const { policyId, hasPassword } = await deps.repo.transaction(async (repo, tx) => {
        // Lock order (db/transaction.ts): the account row first, the audit chain last.
        const holding = await repo.lockAccount(accountId);
        if (!holding) throw notFound('Account');
        // The one holding it may always give it back, whatever their rights now; anyone else must see it.
        if (holding.checkedOutById !== actor.userId) await deps.access.within(tx).require(ctx, { type: 'account', id: accountId }, 'view');
        if (!holding.checkedOutById) throw new AppError('CONFLICT', 'The account is not checked out');
        if (holding.checkedOutById !== actor.userId && !actor.permissions.has('users.manage')) {
          throw new AppError('CONFLICT', 'Another user checked this account out; only they (or an administrator) can check it in');
        }
        await repo.clearCheckout(accountId);
        const types = await repo.credentialTypes(accountId);
        await deps.audit.record(
          ctx,
          { action: 'credential.checkin', objectType: 'account', objectId: accountId, details: { checkedOutBy: holding.checkedOutById } },
          tx,
        );
        return { policyId: holding.policyId, hasPassword: types.some((c) => c.type === 'PASSWORD') };
      });
      const policy = await deps.policies.effective(policyId);
      // AutoReset: the secret someone has seen is changed once they are done with it — by the
      // policy, so it runs whether or not the person checking in may reset the account.
      const resetJob =
        policy.resetAfterCheckin && hasPassword
          ? await deps.jobs.requestReset(ctx, accountId, { credentialType: 'PASSWORD', generate: true, changeOnTarget: true }, { byPolicy: true })
          : null;
      return { resetJob };
    },
  };
}

export type CheckoutService = ReturnType<typeof createCheckoutService>;
