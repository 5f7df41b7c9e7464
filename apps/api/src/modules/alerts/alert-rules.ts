import type { AlertRule, EndedJobState } from '@passman/contracts';

/** How long past its rotation interval a credential may go before `rotation_overdue` is raised, unless configured. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;

/** What a job's end tells the alert engine: enough to know whether any rule on the account can have changed. */
export interface JobEndedNotice {
  accountId: string;
  kind: 'CHECK' | 'RESET';
  /** How the job ended. */
  state: EndedJobState;
  /** The account's status when the run started, and as its end left it (undefined: the run's steps wrote it, or it did not change). */
  statusBefore: string;
  statusAfter: string | undefined;
}

/**
 * What the end of a job can do to the alerts on its account and its target:
 * - `none`: a check changes only the account's status, which only `not_in_sync` and
 *   `host_key_changed` (accounts refused for a host key mismatch) look at — so a check that
 *   neither found nor left the account NotInSync changes no alert;
 * - `resolve-only`: a reset that succeeded, on an account that was not NotInSync and that its
 *   promotion left InSync or Unknown (the status it wrote is told), renews the credential's
 *   rotation, so no rule can start to hold; it can end an alert already open
 *   (`rotation_overdue`), and nothing else;
 * - `any`: every other end.
 * The sweep still evaluates every rule, so nothing rests on this.
 */
export function alertEffectOf(end: JobEndedNotice): 'none' | 'resolve-only' | 'any' {
  const notInSync = end.statusBefore === 'NotInSync' || end.statusAfter === 'NotInSync';
  if (end.kind === 'CHECK') return notInSync || end.statusAfter === undefined ? 'any' : 'none';
  return end.state === 'succeeded' && !notInSync && end.statusAfter !== undefined ? 'resolve-only' : 'any';
}

/** One line saying what a rule found, for the bell and for a chat message built from a webhook. */
export function summaryOf(rule: AlertRule, objectName: string, details: Record<string, unknown>): string {
  switch (rule) {
    case 'rotation_overdue':
      return `${objectName}: rotation overdue — not rotated since ${String(details.since)} (every ${String(details.intervalDays)} days)`;
    case 'not_in_sync':
      return `${objectName} is NotInSync${details.reason ? ` (${String(details.reason)})` : ''}`;
    case 'job_unverified':
      return `${objectName}: a change could not be verified${details.errorCode ? ` (${String(details.errorCode)})` : ''}`;
    case 'checkout_overdue':
      return `${objectName}: checked out${details.holder ? ` by ${String(details.holder)}` : ''} past its due time ${String(details.dueAt)}`;
    case 'host_key_changed':
      return details.fingerprint
        ? `${objectName} offered host key ${String(details.fingerprint)}, not the approved one`
        : `${objectName} offered a host key other than the approved one`;
  }
}
