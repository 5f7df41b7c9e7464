import type { Account, AccountStatus } from '@passman/contracts';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { t } from '@/i18n';
import { reasonText } from '@/lib/reason-text';

const tone: Record<AccountStatus, BadgeTone> = { InSync: 'success', NotInSync: 'danger', Unknown: 'neutral' };

/** InSync / NotInSync / Unknown, and why when it is not InSync. */
export function AccountStatusBadge({ account }: { account: Pick<Account, 'status' | 'statusReason'> }) {
  const reason = account.status !== 'InSync' ? reasonText(account.statusReason) : '';
  return (
    <span className="status-cell">
      <Badge tone={tone[account.status] ?? 'neutral'}>{t(`accounts.status.${account.status}`)}</Badge>
      {reason && (
        <span className="status-cell__reason" title={reason}>
          {reason}
        </span>
      )}
    </span>
  );
}

export function ComplianceBadge({ compliance }: { compliance: Account['compliance'] }) {
  if (!compliance) return <span className="muted">{t('table.empty.dash')}</span>;
  return <Badge tone={compliance === 'Compliant' ? 'success' : 'warning'}>{t(`accounts.compliance.${compliance}`)}</Badge>;
}
