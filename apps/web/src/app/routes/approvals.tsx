import { ApprovalsBrowser } from '@/features/approvals/components/approvals-browser';
import { t } from '@/i18n';
import { Page } from './page';

/** Loaded on demand (router.tsx). */
export function ApprovalsRoute() {
  return (
    <Page heading={t('approvals.heading')}>
      <ApprovalsBrowser />
    </Page>
  );
}
