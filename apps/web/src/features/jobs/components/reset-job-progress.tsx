import type { Account } from '@passman/contracts';
import { AccountStatusBadge } from '@/features/accounts/components/account-status';
import { t } from '@/i18n';
import { JobProgress } from './job-progress';

/** A reset job followed live, then the account's status as it is now (pass the account fresh). */
export function ResetJobProgress({ jobId, account }: { jobId: string; account: Account }) {
  return (
    <JobProgress
      jobId={jobId}
      afterFinish={() => (
        <p className="status-now">
          {t('reset.statusNow', { account: account.username })} <AccountStatusBadge account={account} />
        </p>
      )}
    />
  );
}
