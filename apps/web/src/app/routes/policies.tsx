import { PoliciesTable } from '@/features/policies/components/policies-table';
import { t } from '@/i18n';
import { Page } from './page';

export function PoliciesRoute() {
  return (
    <Page heading={t('policies.heading')}>
      <PoliciesTable />
    </Page>
  );
}
