import type { ApprovalState } from '@passman/contracts';
import { useState } from 'react';
import { ErrorState } from '@/components/ui/error-state';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { useApprovals } from '../api/get-approvals';
import { ApprovalCard } from './approval-card';

function ApprovalList({ view, headingId }: { view: 'mine' | 'to-approve'; headingId: string }) {
  const [state, setState] = useState<ApprovalState | ''>(view === 'to-approve' ? 'pending' : '');
  const list = useApprovals({ view, limit: 100, ...(state ? { state } : {}) });
  const states: (ApprovalState | '')[] = ['', 'pending', 'approved', 'denied', 'expired', 'used', 'cancelled'];
  return (
    <>
      <SelectField
        label={t('approvals.filterState')}
        value={state}
        onChange={(e) => setState(e.target.value as ApprovalState | '')}
        options={states.map((s) => ({ value: s, label: s ? t(`approvals.state.${s}`) : t('approvals.allStates') }))}
      />
      {list.isPending ? (
        <Spinner />
      ) : list.isError ? (
        <ErrorState error={list.error} onRetry={() => void list.refetch()} />
      ) : list.data.items.length === 0 ? (
        <p className="muted">{t(view === 'mine' ? 'approvals.mine.empty' : 'approvals.toApprove.empty')}</p>
      ) : (
        <ul className="approval-list" aria-labelledby={headingId}>
          {list.data.items.map((approval) => (
            <ApprovalCard key={approval.id} approval={approval} mine={view === 'mine'} />
          ))}
        </ul>
      )}
    </>
  );
}

/** The Approvals page: requests waiting for the user's decision (for approvers), and the user's own requests. */
export function ApprovalsBrowser() {
  const can = useCan();
  return (
    <div className="approvals">
      {can('approvals.approve') && (
        <section className="approvals__section" aria-labelledby="approvals-to-approve">
          <h2 id="approvals-to-approve">{t('approvals.toApprove.heading')}</h2>
          <ApprovalList view="to-approve" headingId="approvals-to-approve" />
        </section>
      )}
      <section className="approvals__section" aria-labelledby="approvals-mine">
        <h2 id="approvals-mine">{t('approvals.mine.heading')}</h2>
        <ApprovalList view="mine" headingId="approvals-mine" />
      </section>
    </div>
  );
}
