import { OUTCOME_UNKNOWN } from '@passman/contracts/job-rules';
import { mapVanishedRow, type DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

/** Who holds an account checked out, as the locked row says. */
export interface CheckoutHolding {
  id: string;
  policyId: string | null;
  checkedOutById: string | null;
  checkedOutAt: Date | null;
  checkoutExpiresAt: Date | null;
}

function checkoutRepo(db: DbClient) {
  return {
    /**
     * The account's row, locked until the transaction ends (lock order: db/transaction.ts — the
     * account first): concurrent checkouts of one account take turns here, so each sees the
     * previous one's holder. Null when the account does not exist (any more).
     */
    lockAccount: async (accountId: string): Promise<CheckoutHolding | null> => {
      const rows = await db.$queryRaw<CheckoutHolding[]>`
        SELECT id::text AS id, policy_id::text AS "policyId", checked_out_by_id::text AS "checkedOutById",
               checked_out_at AS "checkedOutAt", checkout_expires_at AS "checkoutExpiresAt"
          FROM accounts WHERE id = ${accountId}::uuid FOR UPDATE`;
      return rows[0] ?? null;
    },

    /** The account's credentials, each with its newest CURRENT version (the one CheckOut reveals). */
    currentCredentials: (accountId: string) =>
      db.credential.findMany({
        where: { accountId },
        include: { versions: { where: { state: 'CURRENT' }, orderBy: { version: 'desc' }, take: 1 } },
      }),

    /**
     * The account's credentials whose reset's outcome is unknown (job unverified, OUTCOME_UNKNOWN),
     * each with that reset's PENDING version — the other candidate for the secret the target holds.
     */
    unconfirmedPending: async (accountId: string) => {
      const jobs = await db.job.findMany({
        where: { accountId, kind: 'RESET', state: 'unverified', errorCode: OUTCOME_UNKNOWN, pendingVersionId: { not: null } },
        select: { id: true, pendingVersionId: true },
      });
      if (jobs.length === 0) return [];
      const credentials = await db.credential.findMany({
        where: { accountId },
        include: { versions: { where: { state: 'PENDING', id: { in: jobs.map((j) => j.pendingVersionId!) } }, take: 1 } },
      });
      return credentials.map((c) => ({ ...c, jobId: jobs.find((j) => j.pendingVersionId === c.versions[0]?.id)?.id ?? null }));
    },
    credentialTypes: (accountId: string) => db.credential.findMany({ where: { accountId }, select: { type: true } }),

    username: async (userId: string) => (await db.user.findUnique({ where: { id: userId }, select: { username: true } }))?.username ?? null,

    markCheckedOut: (accountId: string, holding: { userId: string; at: Date; expiresAt: Date | null }) =>
      db.account
        .update({
          where: { id: accountId },
          data: { checkedOutById: holding.userId, checkedOutAt: holding.at, checkoutExpiresAt: holding.expiresAt },
          select: { id: true },
        })
        .catch((e: unknown) => mapVanishedRow(e, 'Account')),

    clearCheckout: (accountId: string) =>
      db.account
        .update({ where: { id: accountId }, data: { checkedOutById: null, checkedOutAt: null, checkoutExpiresAt: null }, select: { id: true } })
        .catch((e: unknown) => mapVanishedRow(e, 'Account')),
  };
}

export const createCheckoutRepo = (db: DbClient) => transactional(db, checkoutRepo);
export type CheckoutRepo = ReturnType<typeof createCheckoutRepo>;
/** A credential with the one version a checkout may reveal; `jobId`: the reset whose outcome is unknown, for a pending one. */
export type RevealableCredential = Awaited<ReturnType<CheckoutRepo['currentCredentials']>>[number] & { jobId?: string | null };
/** The repo's reads and writes, bound to one transaction. */
export type CheckoutTxRepo = ReturnType<typeof checkoutRepo>;
