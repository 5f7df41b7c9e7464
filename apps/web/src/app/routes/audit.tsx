import { AuditBrowser } from '@/features/audit/components/audit-browser';
import { t } from '@/i18n';
import { Page } from './page';

export function AuditRoute() {
  return (
    <Page heading={t('audit.heading')}>
      <AuditBrowser />
    </Page>
  );
}
