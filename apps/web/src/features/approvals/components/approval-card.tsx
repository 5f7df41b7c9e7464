import type { Approval, ApprovalState } from '@passman/contracts';
import { useState } from 'react';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { TextareaField } from '@/components/ui/textarea-field';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useChangeApproval } from '../api/change-approval';

const TONE: Record<ApprovalState, BadgeTone> = {
  pending: 'warning',
  approved: 'success',
  denied: 'danger',
  expired: 'neutral',
  used: 'neutral',
  cancelled: 'neutral',
};

/**
 * One request: what, on which account, who asked and why, its state and window. For an approver
 * (`mayDecide`), approve or deny with a comment; for its requester, cancel while it is open.
 */
export function ApprovalCard({ approval, mine }: { approval: Approval; mine: boolean }) {
  const change = useChangeApproval();
  const [comment, setComment] = useState('');
  const headingId = `approval-${approval.id}`;
  const what = t(approval.action === 'checkout' ? 'approvals.action.checkout' : 'approvals.action.reset', {
    account: approval.account.username,
    target: approval.account.targetName,
  });
  const decide = (decision: 'approve' | 'deny') => change.mutate({ id: approval.id, change: decision, ...(comment.trim() ? { comment: comment.trim() } : {}) });
  const open = approval.state === 'pending' || approval.state === 'approved';
  return (
    <li className="approval-card" aria-labelledby={headingId}>
      <h3 id={headingId} className="approval-card__title">
        {what} <Badge tone={TONE[approval.state]}>{t(`approvals.state.${approval.state}`)}</Badge>
      </h3>
      <dl className="approval-card__facts">
        <dt>{t('approvals.requester')}</dt>
        <dd>{approval.requester.displayName || approval.requester.username}</dd>
        <dt>{t('approvals.reason')}</dt>
        <dd>{approval.reason}</dd>
        <dt>{t('approvals.duration')}</dt>
        <dd>{t('approvals.minutes', { minutes: approval.requestedMinutes })}</dd>
        <dt>{t('approvals.requestedAt')}</dt>
        <dd>{formatDateTime(approval.createdAt)}</dd>
        {approval.decidedBy && (
          <>
            <dt>{t('approvals.decidedBy')}</dt>
            <dd>
              {approval.decidedBy.displayName || approval.decidedBy.username}
              {approval.comment ? ` — ${approval.comment}` : ''}
            </dd>
          </>
        )}
        {approval.windowEndsAt && (
          <>
            <dt>{t('approvals.window')}</dt>
            <dd>{t('approvals.windowRange', { from: formatDateTime(approval.windowStartsAt), until: formatDateTime(approval.windowEndsAt) })}</dd>
          </>
        )}
      </dl>
      {approval.mayDecide && (
        <div className="approval-card__decide">
          <TextareaField label={t('approvals.comment')} rows={2} maxLength={1000} value={comment} onChange={(e) => setComment(e.target.value)} />
          <div className="dialog__inline-footer">
            <Button variant="primary" pending={change.isPending && change.variables.change === 'approve'} onClick={() => decide('approve')}>
              {t('approvals.approve')}
            </Button>
            <Button variant="danger" pending={change.isPending && change.variables.change === 'deny'} onClick={() => decide('deny')}>
              {t('approvals.deny')}
            </Button>
          </div>
        </div>
      )}
      {mine && open && (
        <div className="dialog__inline-footer">
          <Button size="sm" pending={change.isPending} onClick={() => change.mutate({ id: approval.id, change: 'cancel' })}>
            {t('approvals.cancel')}
          </Button>
        </div>
      )}
      {change.isError && <FormAlert error={change.error} />}
    </li>
  );
}
