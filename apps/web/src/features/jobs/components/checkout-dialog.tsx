import type { Account } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { useCredentials } from '@/features/credentials/api/get-credentials';
import { credentialLabel } from '@/features/credentials/labels';
import { t } from '@/i18n';
import { useCheckoutCredential } from '../api/checkout-credential';
import { CheckedOutSecret } from './checked-out-secret';

/** CheckOut: choose the credential, say why (for the audit trail), then see it; CheckIn when done. */
export function CheckoutDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const credentials = useCredentials(account.id);
  const checkout = useCheckoutCredential();
  const [credentialId, setCredentialId] = useState('');
  const [reason, setReason] = useState('');
  const list = credentials.data ?? [];
  const chosen = credentialId || list.find((c) => c.type === 'PASSWORD')?.id || list[0]?.id || '';

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (chosen) checkout.mutate({ accountId: account.id, credentialId: chosen, ...(reason.trim() ? { reason: reason.trim() } : {}) });
  }

  return (
    <Dialog
      title={t('checkout.title', { account: account.username })}
      description={t('reset.description', { target: account.target.name })}
      onClose={onClose}
      footer={
        checkout.data ? undefined : (
          <>
            <Button onClick={onClose}>{t('common.cancel')}</Button>
            <Button type="submit" form="checkout-form" variant="primary" pending={checkout.isPending} disabled={!chosen}>
              {t('checkout.submit')}
            </Button>
          </>
        )
      }
    >
      {checkout.data ? (
        <CheckedOutSecret account={account} checkout={checkout.data} onClose={onClose} />
      ) : credentials.isPending ? (
        <Spinner />
      ) : list.length === 0 ? (
        <p className="muted">{t('credentials.none')}</p>
      ) : (
        <form id="checkout-form" className="form" onSubmit={submit} noValidate>
          {list.length > 1 && (
            <SelectField
              label={t('checkout.credential')}
              value={chosen}
              onChange={(e) => setCredentialId(e.target.value)}
              options={list.map((c) => ({ value: c.id, label: credentialLabel(c) }))}
            />
          )}
          <TextField label={t('checkout.reason')} hint={t('checkout.reasonHint')} value={reason} maxLength={500} onChange={(e) => setReason(e.target.value)} />
          {checkout.isError && <FormAlert error={checkout.error} />}
        </form>
      )}
    </Dialog>
  );
}
