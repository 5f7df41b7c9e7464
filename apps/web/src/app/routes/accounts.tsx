import { AccountsTable } from '@/features/accounts/components/accounts-table';
import { t } from '@/i18n';

export function AccountsRoute() {
  return (
    <section className="page" aria-labelledby="page-heading">
      <h1 id="page-heading" className="sr-only">
        {t('accounts.heading')}
      </h1>
      <AccountsTable />
    </section>
  );
}
