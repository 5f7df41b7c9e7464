import { complianceOf } from '../../credentials/compliance.js';
import type { WorkerRepo } from './worker.repo.js';

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

/** An account's status and compliance from its credentials, as `WorkerRepo.accountStanding` reads them. */
export function accountStandingOf(credentials: (CheckState & { type: string; versions: { compliant: boolean | null }[] })[]) {
  const live = credentials.filter((c) => c.versions.length > 0);
  return {
    ...accountStatusOf(live.filter((c) => c.type !== 'PIN')),
    compliance: complianceOf(live.flatMap((c) => c.versions.map((v) => v.compliant))),
  };
}

/** Recomputes an account's status from what its credentials last answered. */
export async function recomputeAccountStatus(repo: Pick<WorkerRepo, 'accountStanding' | 'setAccountStatus'>, accountId: string): Promise<void> {
  const { status, statusReason } = accountStandingOf(await repo.accountStanding(accountId));
  await repo.setAccountStatus(accountId, status, statusReason);
}
