import { OUTCOME_UNKNOWN, type Job, type TargetHolds } from '@passman/sdk';

/** What `jobs confirm-outcome --target-holds` takes, and what PassMan is told. */
export const TARGET_HOLDS: Record<string, TargetHolds> = { new: 'NEW', previous: 'PREVIOUS' };

/** The account a job ran on, as the commands name accounts: <target>/<username>. */
export function jobAccountName(job: Job): string {
  return `${job.account.targetName}/${job.account.username}`;
}

/**
 * How to settle a reset whose outcome is unknown: no probe of the worker will, a person has to
 * find out which secret the target holds and say so. Null for any other job.
 */
export function settleOutcomeHint(job: Job): string | null {
  if (job.state !== 'unverified' || job.errorCode !== OUTCOME_UNKNOWN) return null;
  return (
    `settle it: passman jobs confirm-outcome ${job.id} --target-holds ${Object.keys(TARGET_HOLDS).join('|')} ` +
    `(passman checkout --pending ${jobAccountName(job)} reveals the new secret to try on the target)`
  );
}

/** InSync when the check ran and every credential logged in; otherwise the first reason given. */
export function checkOutcome(job: Job): { inSync: boolean; reason: string | null } {
  const failed = job.results.find((result) => !result.ok);
  const inSync = job.state === 'succeeded' && job.results.length > 0 && !failed;
  return { inSync, reason: inSync ? null : (failed?.code ?? job.errorCode ?? job.state) };
}

/** What `check --wait` prints for people (and `batch check --wait` for an account not InSync): the outcome and the job's id, which `jobs show` takes. */
export function checkResultLine(name: string, job: Job): string {
  const { inSync, reason } = checkOutcome(job);
  return inSync ? `InSync: ${name} (job ${job.id})\n` : `NotInSync: ${name} (${reason}, job ${job.id})\n`;
}

/**
 * What `reset --wait` prints for people (and `batch reset --wait` for a reset that did not succeed): one line with the outcome and the job's id (which
 * `jobs show` and `jobs confirm-outcome` take), and for an unknown outcome how to settle it.
 */
export function resetResultLines(name: string, job: Job): string {
  const result =
    job.state === 'succeeded' ? `reset: ${name} (job ${job.id})` : `reset ${job.state}: ${name} (${job.errorCode ?? 'no reason given'}, job ${job.id})`;
  const hint = settleOutcomeHint(job);
  return `${result}\n${hint ? `${hint}\n` : ''}`;
}
