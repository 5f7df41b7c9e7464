import type { Webhook } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { useDeleteWebhook, useTestWebhook, useUpdateWebhook } from '../api/change-webhook';
import { WebhookDeliveries } from './webhook-deliveries';

/** One webhook: where it sends, whether it is on, and its actions (test, log, enable, delete). */
function WebhookItem({ webhook }: { webhook: Webhook }) {
  const [showLog, setShowLog] = useState(false);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const test = useTestWebhook();
  const update = useUpdateWebhook();
  const remove = useDeleteWebhook();
  const error = test.error ?? update.error ?? remove.error;
  return (
    <li className="webhook-item" aria-label={webhook.name}>
      <p className="webhook-item__name">
        <strong>{webhook.name}</strong> {webhook.enabled ? t('webhooks.enabled') : t('webhooks.disabled')}
      </p>
      <p className="mono">{webhook.url}</p>
      <div className="toolbar">
        <Button size="sm" variant="secondary" pending={test.isPending} onClick={() => test.mutate(webhook.id, { onSuccess: () => setShowLog(true) })}>
          {t('webhooks.test')}
        </Button>
        <Button size="sm" variant="secondary" aria-expanded={showLog} onClick={() => setShowLog((was) => !was)}>
          {t('webhooks.log.toggle')}
        </Button>
        <Button size="sm" variant="ghost" pending={update.isPending} onClick={() => update.mutate({ id: webhook.id, enabled: !webhook.enabled })}>
          {webhook.enabled ? t('webhooks.disable') : t('webhooks.enable')}
        </Button>
        <Button size="sm" variant="ghost" onClick={() => setConfirmDelete(true)}>
          {t('webhooks.delete')}
        </Button>
      </div>
      {test.isSuccess && <p role="status">{t('webhooks.testQueued')}</p>}
      {error && <FormAlert error={error} />}
      {showLog && <WebhookDeliveries webhook={webhook} />}
      {confirmDelete && (
        <ConfirmDialog
          title={t('webhooks.deleteTitle', { name: webhook.name })}
          confirmLabel={t('webhooks.delete')}
          pending={remove.isPending}
          onCancel={() => setConfirmDelete(false)}
          onConfirm={() => remove.mutate(webhook.id, { onSettled: () => setConfirmDelete(false) })}
        >
          {t('webhooks.deleteBody')}
        </ConfirmDialog>
      )}
    </li>
  );
}

export function WebhooksList({ webhooks }: { webhooks: readonly Webhook[] }) {
  return (
    <section className="panel" aria-labelledby="webhooks-list-heading">
      <h2 id="webhooks-list-heading" className="section-title">
        {t('webhooks.list.heading')}
      </h2>
      {webhooks.length === 0 ? (
        <p>{t('webhooks.list.empty')}</p>
      ) : (
        <ul className="webhook-list">
          {webhooks.map((w) => (
            <WebhookItem key={w.id} webhook={w} />
          ))}
        </ul>
      )}
    </section>
  );
}
