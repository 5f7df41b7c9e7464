import type { Account } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { approvalRequired } from '@/features/approvals/approval-required';
import { ApprovalRequestForm } from '@/features/approvals/components/approval-request-form';
import { useCredentials } from '@/features/credentials/api/get-credentials';
import { credentialLabel } from '@/features/credentials/labels';
import { t } from '@/i18n';
import { useCheckinCredential } from '../api/checkin-credential';
import { useCheckoutCredential } from '../api/checkout-credential';
import { heldCheckout, heldCheckoutMessage } from '../checkout-held';
import { CheckedOutSecret } from './checked-out-secret';

/**
 * CheckOut: choose the credential, say why (for the audit trail), then see it; CheckIn when done.
 * An exclusive checkout someone holds is refused: the dialog says who, since and until when, and
 * when it is the user's own, offers CheckIn so they can check out again.
 */
export function CheckoutDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const credentials = useCredentials(account.id);
  const checkout = useCheckoutCredential();
  const checkin = useCheckinCredential();
  const held = checkout.isError ? heldCheckout(checkout.error) : null;
  // Under an approval rule without an approval: the dialog asks for one instead of showing an error.
  const required = checkout.isError ? approvalRequired(checkout.error) : null;
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
        <>
          <form id="checkout-form" className="form" onSubmit={submit} noValidate>
            {list.length > 1 && (
              <SelectField
                label={t('checkout.credential')}
                value={chosen}
                onChange={(e) => setCredentialId(e.target.value)}
                options={list.map((c) => ({ value: c.id, label: credentialLabel(c) }))}
              />
            )}
            <TextField
              label={t('checkout.reason')}
              hint={t('checkout.reasonHint')}
              value={reason}
              maxLength={500}
              onChange={(e) => setReason(e.target.value)}
            />
            {checkout.isError && !required && <FormAlert error={checkout.error} message={held ? heldCheckoutMessage(held, account) : undefined} />}
            {held?.heldByYou && (
              <div className="dialog__inline-footer">
                <Button onClick={() => checkin.mutate(account.id, { onSuccess: () => checkout.reset() })} pending={checkin.isPending}>
                  {t('checkout.checkin')}
                </Button>
              </div>
            )}
            {checkin.isError && <FormAlert error={checkin.error} />}
            {checkin.isSuccess && !checkout.isError && (
              <p role="status">{checkin.data.resetJob ? t('checkout.checkedInReset') : t('checkout.checkedIn', { account: account.username })}</p>
            )}
          </form>
          {required && <ApprovalRequestForm account={account} required={required} />}
        </>
      )}
    </Dialog>
  );
}
