import type { CreatedWebhook } from '@passman/contracts';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { useCreateWebhook } from '../api/change-webhook';

/** A new webhook: its name and URL; on success its signing secret, shown this once. */
export function WebhookCreateForm() {
  const [name, setName] = useState('');
  const [url, setUrl] = useState('');
  const [created, setCreated] = useState<CreatedWebhook | null>(null);
  const create = useCreateWebhook();
  const errors = fieldErrors(create.error);
  return (
    <section className="panel form" aria-labelledby="webhook-new-heading">
      <h2 id="webhook-new-heading" className="section-title">
        {t('webhooks.new.heading')}
      </h2>
      <form
        aria-label={t('webhooks.new.heading')}
        onSubmit={(event) => {
          event.preventDefault();
          setCreated(null);
          create.mutate(
            { name: name.trim(), url: url.trim(), rules: [], enabled: true },
            {
              onSuccess: (webhook) => {
                setCreated(webhook);
                setName('');
                setUrl('');
              },
            },
          );
        }}
      >
        <TextField label={t('webhooks.name')} value={name} onChange={(e) => setName(e.target.value)} error={errors.name} required maxLength={200} />
        <TextField
          label={t('webhooks.url')}
          hint={t('webhooks.urlHint')}
          value={url}
          onChange={(e) => setUrl(e.target.value)}
          error={errors.url}
          required
          type="url"
          maxLength={2048}
        />
        {create.isError && <FormAlert error={create.error} shownFields={['name', 'url']} />}
        <Button type="submit" pending={create.isPending}>
          {t('webhooks.new.submit')}
        </Button>
      </form>
      {created && (
        <div role="status" data-testid="webhook-secret">
          <Alert tone="success" action={<CopyButton text={created.secret} label={t('webhooks.secret.copy')} />}>
            {t('webhooks.secret.once', { name: created.name })}
            <code className="mono webhook-secret">{created.secret}</code>
          </Alert>
        </div>
      )}
    </section>
  );
}
