import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useAuditStream } from '../api/get-audit-stream';

/** The audit stream's destinations (configured in the environment) with their backlog and last error. */
export function AuditStreamStatus() {
  const stream = useAuditStream();
  if (stream.isPending) return <Spinner />;
  if (stream.isError) return <ErrorState error={stream.error} onRetry={() => void stream.refetch()} retrying={stream.isRefetching} />;
  const destinations = stream.data.destinations;
  if (destinations.length === 0) return <p className="muted">{t('audit.stream.none')}</p>;
  return (
    <table className="mini-table" aria-label={t('audit.stream.tableLabel')}>
      <thead>
        <tr>
          <th scope="col">{t('audit.stream.col.destination')}</th>
          <th scope="col">{t('audit.stream.col.target')}</th>
          <th scope="col">{t('audit.stream.col.backlog')}</th>
          <th scope="col">{t('audit.stream.col.delivered')}</th>
          <th scope="col">{t('audit.stream.col.state')}</th>
        </tr>
      </thead>
      <tbody>
        {destinations.map((d) => (
          <tr key={d.name}>
            <td>{d.kind === 'syslog' ? t('audit.stream.kind.syslog') : t('audit.stream.kind.json')}</td>
            <td>
              <code>{d.target}</code>
            </td>
            <td>{d.backlog === null ? t('table.empty.dash') : String(d.backlog)}</td>
            <td>{formatDateTime(d.deliveredAt)}</td>
            <td>
              {!d.started
                ? t('audit.stream.state.waiting')
                : d.failures > 0
                  ? t('audit.stream.state.failing', { failures: d.failures, error: d.lastError ?? '' })
                  : t('audit.stream.state.ok')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
