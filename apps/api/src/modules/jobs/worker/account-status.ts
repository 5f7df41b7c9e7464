import type { DbClient } from '../../../db/transaction.js';

/**
 * InSync if and only if every checkable credential (passwords and SSH keys; PINs cannot be
 * tried over SSH) last worked; NotInSync with the first failure's code; Unknown when there
 * is nothing to check or something was never checked.
 */
export async function recomputeAccountStatus(db: DbClient, accountId: string): Promise<void> {
  const credentials = await db.credential.findMany({
    where: { accountId, type: { in: ['PASSWORD', 'SSH_KEY'] }, versions: { some: { state: 'CURRENT' } } },
    select: { lastCheckOk: true, lastCheckCode: true },
    orderBy: { slot: 'asc' },
  });
  const failing = credentials.find((c) => c.lastCheckOk === false);
  const unchecked = credentials.some((c) => c.lastCheckOk === null);
  const data =
    credentials.length === 0
      ? { status: 'Unknown' as const, statusReason: 'NO_CREDENTIALS' }
      : failing
        ? { status: 'NotInSync' as const, statusReason: failing.lastCheckCode ?? 'CHECK_FAILED' }
        : unchecked
          ? { status: 'Unknown' as const, statusReason: 'NOT_CHECKED' }
          : { status: 'InSync' as const, statusReason: null };
  await db.account.update({ where: { id: accountId }, data });
}
