import type { AlertRule } from '@passman/contracts';

/** How long past its rotation interval a credential may go before `rotation_overdue` is raised, unless configured. */
export const DEFAULT_ROTATION_GRACE_MS = 24 * 3_600_000;

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
