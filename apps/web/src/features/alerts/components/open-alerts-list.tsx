import type { Alert } from '@passman/contracts';
import { Link } from '@tanstack/react-router';
import { Button } from '@/components/ui/button';
import { paths } from '@/config/paths';
import { t } from '@/i18n';
import { errorMessage } from '@/lib/error-message';
import { formatDateTime } from '@/lib/format';
import { cx } from '@/lib/cx';
import { useOpenAlerts } from '../api/get-alerts';
import { useAcknowledgeAlert } from '../api/mark-read';

/** Where an alert's object is shown: an account's details window, or a target's accounts. */
function ObjectLink({ alert, onNavigate }: { alert: Alert; onNavigate?: () => void }) {
  return alert.object.type === 'account' ? (
    <Link to={paths.accounts} search={{ account: alert.object.id }} onClick={onNavigate} className="alert-item__object">
      {alert.object.name}
    </Link>
  ) : (
    <Link to={paths.targets} search={{ accountsOf: alert.object.id }} onClick={onNavigate} className="alert-item__object">
      {alert.object.name}
    </Link>
  );
}

/**
 * The open alerts the user may see, newest first, each with what it is about (a link to it), since
 * when, and a button to mark it read. The notification bell shows it; a dashboard may too.
 */
export function OpenAlertsList({ limit = 20, onNavigate }: { limit?: number; onNavigate?: () => void }) {
  const alerts = useOpenAlerts({ limit });
  const acknowledge = useAcknowledgeAlert();
  if (alerts.isPending) return <p className="alert-list__status">{t('alerts.loading')}</p>;
  if (alerts.isError) return <p className="alert-list__status">{errorMessage(alerts.error)}</p>;
  const items = alerts.data.items;
  if (items.length === 0) return <p className="alert-list__status">{t('alerts.empty')}</p>;
  return (
    <ul className="alert-list" aria-label={t('alerts.listLabel')}>
      {items.map((alert) => (
        <li key={alert.id} className={cx('alert-item', !alert.read && 'alert-item--unread')} data-rule={alert.rule}>
          <p className="alert-item__rule">
            {t(`alerts.rule.${alert.rule}`)}
            {!alert.read && <span className="sr-only">{t('alerts.unread')}</span>}
          </p>
          <ObjectLink alert={alert} onNavigate={onNavigate} />
          <p className="alert-item__summary">{alert.summary}</p>
          <p className="alert-item__since">{t('alerts.since', { when: formatDateTime(alert.openedAt) })}</p>
          {!alert.read && (
            <Button
              size="sm"
              variant="ghost"
              pending={acknowledge.isPending && acknowledge.variables === alert.id}
              onClick={() => acknowledge.mutate(alert.id)}
            >
              {t('alerts.markRead')}
            </Button>
          )}
        </li>
      ))}
    </ul>
  );
}
