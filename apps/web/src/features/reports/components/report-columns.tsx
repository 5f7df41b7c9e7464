import type { AccountReportRow, ActivityRow, HostKeyReportRow, ReportName } from '@passman/contracts';
import type { Column } from '@/components/ui/data-table';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';

type Row = Record<string, unknown>;

const target = (): Column<AccountReportRow> => ({ id: 'target', header: t('reports.col.target'), width: '18%', cell: (r) => r.targetName });
const account = (): Column<AccountReportRow> => ({
  id: 'account',
  header: t('reports.col.account'),
  width: '16%',
  cell: (r) => <span className="mono">{r.username}</span>,
});
const policy = (): Column<AccountReportRow> => ({
  id: 'policy',
  header: t('reports.col.policy'),
  width: '16%',
  cell: (r) => r.policyName || t('table.empty.dash'),
});

const columns = (): { [K in ReportName]: Column<never>[] } => ({
  activity: [
    { id: 'at', header: t('reports.col.at'), width: '15%', cell: (r: ActivityRow) => formatDateTime(r.at) },
    { id: 'user', header: t('reports.col.user'), width: '12%', cell: (r: ActivityRow) => r.actorName },
    { id: 'kind', header: t('reports.col.activity'), width: '10%', cell: (r: ActivityRow) => t(`reports.kind.${r.kind}`) },
    { id: 'right', header: t('reports.col.right'), width: '10%', cell: (r: ActivityRow) => <span className="mono">{r.right}</span> },
    { id: 'target', header: t('reports.col.target'), width: '15%', cell: (r: ActivityRow) => r.targetName ?? t('table.empty.dash') },
    {
      id: 'account',
      header: t('reports.col.account'),
      width: '12%',
      cell: (r: ActivityRow) => <span className="mono">{r.accountDeleted ? t('reports.deletedAccount', { account: r.username }) : r.username}</span>,
    },
    {
      id: 'from',
      header: t('reports.col.from'),
      width: '12%',
      cell: (r: ActivityRow) => <span className="mono">{r.clientAddress ?? t('table.empty.dash')}</span>,
    },
    { id: 'outcome', header: t('reports.col.outcome'), width: '8%', cell: (r: ActivityRow) => r.outcome },
  ],
  'not-in-sync': [
    target(),
    account(),
    {
      id: 'reason',
      header: t('reports.col.reason'),
      width: '18%',
      cell: (r: AccountReportRow) => <span className="mono">{r.statusReason ?? t('table.empty.dash')}</span>,
    },
    { id: 'since', header: t('reports.col.since'), width: '16%', cell: (r: AccountReportRow) => formatDateTime(r.statusSince) },
    { id: 'checked', header: t('reports.col.lastChecked'), width: '16%', cell: (r: AccountReportRow) => formatDateTime(r.lastCheckedAt) },
  ],
  'rotation-overdue': [
    target(),
    account(),
    policy(),
    { id: 'interval', header: t('reports.col.interval'), width: '10%', align: 'end', cell: (r: AccountReportRow) => r.rotationIntervalDays ?? '' },
    { id: 'changed', header: t('reports.col.lastChanged'), width: '15%', cell: (r: AccountReportRow) => formatDateTime(r.lastChangedAt) },
    { id: 'due', header: t('reports.col.due'), width: '15%', cell: (r: AccountReportRow) => formatDateTime(r.rotationDueAt) },
  ],
  noncompliant: [
    target(),
    account(),
    policy(),
    { id: 'changed', header: t('reports.col.lastChanged'), width: '16%', cell: (r: AccountReportRow) => formatDateTime(r.lastChangedAt) },
  ],
  'checked-out': [
    target(),
    account(),
    { id: 'by', header: t('reports.col.checkedOutBy'), width: '16%', cell: (r: AccountReportRow) => r.checkedOutByName ?? t('table.empty.dash') },
    { id: 'since', header: t('reports.col.since'), width: '16%', cell: (r: AccountReportRow) => formatDateTime(r.checkedOutAt) },
    {
      id: 'until',
      header: t('reports.col.until'),
      width: '16%',
      cell: (r: AccountReportRow) => (r.checkoutExpiresAt ? formatDateTime(r.checkoutExpiresAt) : t('reports.untilCheckin')),
    },
  ],
  'host-keys-pending': [
    { id: 'target', header: t('reports.col.target'), width: '18%', cell: (r: HostKeyReportRow) => r.targetName },
    { id: 'address', header: t('reports.col.address'), width: '16%', cell: (r: HostKeyReportRow) => <span className="mono">{r.targetAddress}</span> },
    { id: 'algorithm', header: t('reports.col.algorithm'), width: '12%', cell: (r: HostKeyReportRow) => <span className="mono">{r.algorithm}</span> },
    { id: 'fingerprint', header: t('reports.col.fingerprint'), width: '30%', cell: (r: HostKeyReportRow) => <span className="mono">{r.fingerprint}</span> },
    { id: 'seen', header: t('reports.col.firstSeen'), width: '15%', cell: (r: HostKeyReportRow) => formatDateTime(r.firstSeenAt) },
  ],
});

/** The table's columns of a report (its CSV has these and the ids besides). */
export const reportColumns = (name: ReportName) => columns()[name] as unknown as Column<Row>[];

/** Each row's key. */
export const reportRowId = (name: ReportName, row: Row): string =>
  String(name === 'activity' ? row.id : name === 'host-keys-pending' ? row.hostKeyId : row.accountId);
