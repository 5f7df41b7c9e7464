import type { DbClient } from '../../../db/transaction.js';

interface CheckState {
  slot: string;
  lastCheckOk: boolean | null;
  lastCheckCode: string | null;
}

/**
 * InSync if and only if every checkable credential (passwords and SSH keys; PINs cannot be
 * tried over SSH) last worked; NotInSync with the first failure's code (by slot); Unknown when
 * there is nothing to check or something was never checked.
 */
export function accountStatusOf(credentials: CheckState[]) {
  const sorted = [...credentials].sort((a, b) => (a.slot < b.slot ? -1 : a.slot > b.slot ? 1 : 0));
  const failing = sorted.find((c) => c.lastCheckOk === false);
  if (sorted.length === 0) return { status: 'Unknown' as const, statusReason: 'NO_CREDENTIALS' };
  if (failing) return { status: 'NotInSync' as const, statusReason: failing.lastCheckCode ?? 'CHECK_FAILED' };
  if (sorted.some((c) => c.lastCheckOk === null)) return { status: 'Unknown' as const, statusReason: 'NOT_CHECKED' };
  return { status: 'InSync' as const, statusReason: null };
}

/** Recomputes an account's status from what its credentials last answered. */
export async function recomputeAccountStatus(db: DbClient, accountId: string): Promise<void> {
  const credentials = await db.credential.findMany({
    where: { accountId, type: { in: ['PASSWORD', 'SSH_KEY'] }, versions: { some: { state: 'CURRENT' } } },
    select: { slot: true, lastCheckOk: true, lastCheckCode: true },
  });
  await db.account.update({ where: { id: accountId }, data: accountStatusOf(credentials) });
}
