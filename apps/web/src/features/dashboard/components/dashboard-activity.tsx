import type { AuditOutcome } from '@passman/contracts';
import { Badge } from '@/components/ui/badge';
import { AUDIT_OUTCOMES, outcomeTone } from '@/features/audit/components/audit-labels';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useActivity } from '../api/get-activity';

/** The last 24 hours of the audit trail on the accounts the user may see, newest first. */
export function DashboardActivity() {
  const query = useActivity();
  return (
    <section className="dashboard-section" aria-labelledby="dashboard-activity-heading">
      <h2 id="dashboard-activity-heading" className="section-title">
        {t('dashboard.activity')}
      </h2>
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : query.data.length === 0 ? (
        <p className="muted">{t('dashboard.activityNone')}</p>
      ) : (
        <table className="mini-table" aria-label={t('dashboard.activity')}>
          <thead>
            <tr>
              <th scope="col">{t('audit.col.at')}</th>
              <th scope="col">{t('audit.col.action')}</th>
              <th scope="col">{t('dashboard.col.account')}</th>
              <th scope="col">{t('audit.col.actor')}</th>
              <th scope="col">{t('audit.col.outcome')}</th>
            </tr>
          </thead>
          <tbody>
            {query.data.map((e) => (
              <tr key={e.seq}>
                <td>{formatDateTime(e.at)}</td>
                <td className="mono">{e.action}</td>
                <td>{e.account ? t('dashboard.accountOn', { account: e.account.username, target: e.account.targetName }) : t('table.empty.dash')}</td>
                <td>{e.actorName}</td>
                <td>
                  <Badge tone={outcomeTone[e.outcome as AuditOutcome] ?? 'neutral'}>
                    {AUDIT_OUTCOMES.includes(e.outcome as AuditOutcome) ? t(`audit.outcome.${e.outcome as AuditOutcome}`) : e.outcome}
                  </Badge>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
