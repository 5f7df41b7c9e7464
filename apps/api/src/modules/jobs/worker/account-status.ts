import { complianceOf } from '../../credentials/compliance.js';
import type { CheckResult, RunOutcome } from './run-context.js';
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

/** An account's status from a check's results: they cover every checkable credential of the account, so they alone decide it. */
export function statusOfCheck(results: CheckResult[]) {
  return accountStatusOf(results.map((r) => ({ slot: r.type === 'PASSWORD' ? 'password' : (r.sshKeyType ?? ''), lastCheckOk: r.ok, lastCheckCode: r.code })));
}

/**
 * The account's status as a run's outcome leaves it, when the outcome says (a check's results, or
 * the status a reset that could not confirm its change sets); undefined when the run leaves it to
 * what its steps wrote.
 */
export function statusAfter(outcome: RunOutcome): { status: 'InSync' | 'NotInSync' | 'Unknown'; statusReason: string | null } | undefined {
  if (outcome.check) return statusOfCheck(outcome.check.results);
  return outcome.accountStatus;
}

/** An account's status and compliance from its credentials, as `WorkerRepo.accountStandings` reads them. */
export function accountStandingOf(credentials: (CheckState & { type: string; versions: { compliant: boolean | null }[] })[]) {
  const live = credentials.filter((c) => c.versions.length > 0);
  return {
    ...accountStatusOf(live.filter((c) => c.type !== 'PIN')),
    compliance: complianceOf(live.flatMap((c) => c.versions.map((v) => v.compliant))),
  };
}

/** Recomputes an account's status from what its credentials last answered. */
export async function recomputeAccountStatus(repo: Pick<WorkerRepo, 'accountStandings' | 'setAccountStatus'>, accountId: string): Promise<void> {
  const { status, statusReason } = accountStandingOf((await repo.accountStandings([accountId])).get(accountId) ?? []);
  await repo.setAccountStatus(accountId, status, statusReason);
}
