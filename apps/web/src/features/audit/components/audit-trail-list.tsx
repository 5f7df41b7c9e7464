import { Badge } from '@/components/ui/badge';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useAuditEvents } from '../api/get-audit-events';
import { outcomeTone } from './audit-labels';

/** The latest audit events of one object (an account's History window). */
export function AuditTrailList({ objectType, objectId, limit = 20 }: { objectType: string; objectId: string; limit?: number }) {
  const query = useAuditEvents({ objectType, objectId, limit });
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.items.length === 0) return <p className="muted">{t('audit.none')}</p>;
  return (
    <table className="mini-table" aria-label={t('history.auditLabel')}>
      <thead>
        <tr>
          <th scope="col">{t('audit.col.at')}</th>
          <th scope="col">{t('audit.col.action')}</th>
          <th scope="col">{t('audit.col.actor')}</th>
          <th scope="col">{t('audit.col.outcome')}</th>
        </tr>
      </thead>
      <tbody>
        {query.data.items.map((e) => (
          <tr key={e.seq}>
            <td>{formatDateTime(e.at)}</td>
            <td className="mono">{e.action}</td>
            <td>{e.actorName}</td>
            <td>
              <Badge tone={outcomeTone[e.outcome]}>{t(`audit.outcome.${e.outcome}`)}</Badge>
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
