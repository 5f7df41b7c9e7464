import type { Alert } from '@passman/contracts';
import type { AlertRow } from './alerts.repo.js';

/** An alert as the API, and a webhook's payload, show it. */
export function presentAlert(row: AlertRow): Alert {
  return {
    id: row.id,
    rule: row.rule,
    state: row.state,
    object: {
      type: row.accountId ? 'account' : 'target',
      id: row.accountId ?? row.targetId,
      name: row.objectName,
      targetId: row.targetId,
    },
    summary: row.summary,
    details: row.details,
    openedAt: row.openedAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    resolvedAt: row.resolvedAt?.toISOString() ?? null,
    read: row.read,
  };
}
