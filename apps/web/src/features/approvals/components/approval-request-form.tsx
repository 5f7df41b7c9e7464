import type { Account, ApprovalRequired } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useRequestApproval } from '../api/change-approval';

/**
 * Shown where a checkout or reset answered that it needs an approval: says so, and asks for one
 * (a reason and how long the window should stay open, at most what the rule allows). Once sent,
 * or when one already waits, says that it waits for another person's decision.
 */
export function ApprovalRequestForm({ account, required }: { account: Account; required: ApprovalRequired }) {
  const request = useRequestApproval();
  const [reason, setReason] = useState('');
  const [minutes, setMinutes] = useState(String(Math.min(60, required.maxMinutes)));
  const sent = request.data;

  if (sent || required.pendingRequestId) {
    return (
      <div role="status" className="approval-request">
        <Alert tone="info">{sent ? t('approvals.request.sent', { until: formatDateTime(sent.pendingUntil) }) : t('approvals.request.waiting')}</Alert>
      </div>
    );
  }

  function submit(event: FormEvent): void {
    event.preventDefault();
    request.mutate({ accountId: account.id, action: required.action, reason: reason.trim(), minutes: Number(minutes) });
  }

  return (
    <form className="form approval-request" aria-label={t('approvals.request.formLabel')} onSubmit={submit} noValidate>
      <Alert tone="warning">
        {t(required.action === 'checkout' ? 'approvals.required.checkout' : 'approvals.required.reset', { account: account.username })}
      </Alert>
      <TextField label={t('approvals.request.reason')} value={reason} maxLength={500} required onChange={(e) => setReason(e.target.value)} />
      <TextField
        label={t('approvals.request.minutes')}
        hint={t('approvals.request.minutesHint', { max: required.maxMinutes })}
        type="number"
        min={1}
        max={required.maxMinutes}
        value={minutes}
        onChange={(e) => setMinutes(e.target.value)}
      />
      {request.isError && <FormAlert error={request.error} />}
      <div className="dialog__inline-footer">
        <Button type="submit" variant="primary" pending={request.isPending} disabled={!reason.trim() || !(Number(minutes) >= 1)}>
          {t('approvals.request.submit')}
        </Button>
      </div>
    </form>
  );
}
