import { OpenAlertsList } from '@/features/alerts/components/open-alerts-list';
import { t } from '@/i18n';

/** The dashboard's alerts: the open ones the user may see, as the notification bell lists them. */
export function DashboardAlertsPanel() {
  return (
    <section className="dashboard-section" aria-labelledby="dashboard-alerts-heading">
      <h2 id="dashboard-alerts-heading" className="section-title">
        {t('alerts.heading')}
      </h2>
      <OpenAlertsList limit={10} />
    </section>
  );
}
