import type { Webhook } from '@passman/contracts';
import { t } from '@/i18n';
import { errorMessage } from '@/lib/error-message';
import { formatDateTime } from '@/lib/format';
import { useWebhookDeliveries } from '../api/get-deliveries';

/** The delivery log of one webhook: each attempt's answer, duration and error, newest first. */
export function WebhookDeliveries({ webhook }: { webhook: Webhook }) {
  const log = useWebhookDeliveries(webhook.id);
  if (log.isPending) return <p>{t('webhooks.log.loading')}</p>;
  if (log.isError) return <p role="alert">{errorMessage(log.error)}</p>;
  if (log.data.items.length === 0) return <p>{t('webhooks.log.empty')}</p>;
  return (
    <table className="mini-table" aria-label={t('webhooks.log.tableLabel', { name: webhook.name })}>
      <thead>
        <tr>
          <th scope="col">{t('webhooks.log.at')}</th>
          <th scope="col">{t('webhooks.log.event')}</th>
          <th scope="col">{t('webhooks.log.attempt')}</th>
          <th scope="col">{t('webhooks.log.status')}</th>
          <th scope="col">{t('webhooks.log.duration')}</th>
          <th scope="col">{t('webhooks.log.state')}</th>
        </tr>
      </thead>
      <tbody>
        {log.data.items.map((a) => (
          <tr key={a.id}>
            <td>{formatDateTime(a.at)}</td>
            <td>{a.eventType}</td>
            <td>{a.attempt}</td>
            <td>{a.statusCode ?? a.error ?? t('webhooks.log.noAnswer')}</td>
            <td>{t('webhooks.log.ms', { ms: a.durationMs })}</td>
            <td>{t(`webhooks.state.${a.deliveryState}`)}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
