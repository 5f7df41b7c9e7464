import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useLdapSettings } from '@/features/ldap/api/ldap-settings';
import { LdapSettingsForm } from '@/features/ldap/components/ldap-settings-form';
import { LdapTestPanel } from '@/features/ldap/components/ldap-test-panel';
import { t } from '@/i18n';
import { Page } from './page';

/** Loaded on demand (router.tsx): the LDAP / Active Directory settings, the connection test and the sync. */
export function LdapRoute() {
  const settings = useLdapSettings();
  return (
    <Page heading={t('ldap.heading')}>
      {settings.isPending && <Spinner />}
      {settings.isError && <ErrorState error={settings.error} onRetry={() => void settings.refetch()} retrying={settings.isFetching} />}
      {settings.data && (
        <>
          <LdapSettingsForm settings={settings.data} />
          <LdapTestPanel settings={settings.data} />
        </>
      )}
    </Page>
  );
}
