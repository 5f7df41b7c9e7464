import type { ReportKind } from './reports.service.js';
import type { CsvColumns } from './csv.js';

const ACCOUNT: CsvColumns = [
  ['Target', 'targetName'],
  ['Address', 'targetAddress'],
  ['Account', 'username'],
  ['Account ID', 'accountId'],
];

/** The CSV columns of each report, in the order a reader wants them. */
export const CSV_COLUMNS: Record<ReportKind, CsvColumns> = {
  activity: [
    ['Time (UTC)', 'at'],
    ['User', 'actorName'],
    ['User ID', 'actorId'],
    ['Activity', 'kind'],
    ['Right', 'right'],
    ['Audit action', 'action'],
    ['Outcome', 'outcome'],
    ['Client address', 'clientAddress'],
    ['Target', 'targetName'],
    ['Account', 'username'],
    ['Account ID', 'accountId'],
    ['Event', 'id'],
    ['Account deleted', 'accountDeleted'],
  ],
  'not-in-sync': [...ACCOUNT, ['Reason', 'statusReason'], ['Since (UTC)', 'statusSince'], ['Last checked (UTC)', 'lastCheckedAt']],
  'rotation-overdue': [
    ...ACCOUNT,
    ['Policy', 'policyName'],
    ['Rotation interval (days)', 'rotationIntervalDays'],
    ['Last changed (UTC)', 'lastChangedAt'],
    ['Due (UTC)', 'rotationDueAt'],
  ],
  noncompliant: [...ACCOUNT, ['Policy', 'policyName'], ['Compliance', 'compliance'], ['Last changed (UTC)', 'lastChangedAt']],
  'checked-out': [
    ...ACCOUNT,
    ['Checked out by', 'checkedOutByName'],
    ['User ID', 'checkedOutById'],
    ['Since (UTC)', 'checkedOutAt'],
    ['Until (UTC)', 'checkoutExpiresAt'],
  ],
  'host-keys-pending': [
    ['Target', 'targetName'],
    ['Address', 'targetAddress'],
    ['Algorithm', 'algorithm'],
    ['Fingerprint', 'fingerprint'],
    ['First seen (UTC)', 'firstSeenAt'],
    ['Last seen (UTC)', 'lastSeenAt'],
    ['Host key ID', 'hostKeyId'],
  ],
  accounts: [
    ...ACCOUNT,
    ['Target ID', 'targetId'],
    ['Folder ID', 'folderId'],
    ['Status', 'status'],
    ['Status reason', 'statusReason'],
    ['Status since (UTC)', 'statusSince'],
    ['Policy', 'policyName'],
    ['Compliance', 'compliance'],
    ['Last checked (UTC)', 'lastCheckedAt'],
    ['Last changed (UTC)', 'lastChangedAt'],
    ['Checked out by', 'checkedOutByName'],
  ],
};
