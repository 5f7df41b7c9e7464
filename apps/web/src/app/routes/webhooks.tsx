import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useWebhooks } from '@/features/webhooks/api/get-webhooks';
import { WebhookCreateForm } from '@/features/webhooks/components/webhook-create-form';
import { WebhooksList } from '@/features/webhooks/components/webhooks-list';
import { t } from '@/i18n';
import { Page } from './page';

/** Loaded on demand (router.tsx): the webhooks alerts are sent to, their tests and delivery logs. */
export function WebhooksRoute() {
  const webhooks = useWebhooks();
  return (
    <Page heading={t('webhooks.heading')}>
      <p className="field__hint">{t('webhooks.intro')}</p>
      <WebhookCreateForm />
      {webhooks.isPending && <Spinner />}
      {webhooks.isError && <ErrorState error={webhooks.error} onRetry={() => void webhooks.refetch()} retrying={webhooks.isFetching} />}
      {webhooks.data && <WebhooksList webhooks={webhooks.data.items} />}
    </Page>
  );
}
