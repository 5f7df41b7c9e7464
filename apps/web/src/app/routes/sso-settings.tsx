import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { useGroups } from '@/features/groups/api/get-groups';
import { useOidcSettings } from '@/features/sso/api/get-oidc-settings';
import { OidcSettingsForm } from '@/features/sso/components/oidc-settings-form';
import { t } from '@/i18n';
import { Page } from './page';

/** Loaded on demand (router.tsx): administrators open it seldom. */
export function SsoSettingsRoute() {
  const settings = useOidcSettings();
  const groups = useGroups();
  const failed = settings.error ?? groups.error;
  return (
    <Page heading={t('nav.sso')}>
      {failed ? (
        <ErrorState
          error={failed}
          onRetry={() => void Promise.all([settings.refetch(), groups.refetch()])}
          retrying={settings.isFetching || groups.isFetching}
        />
      ) : settings.data && groups.data ? (
        <OidcSettingsForm settings={settings.data} groups={groups.data.items} />
      ) : (
        <Spinner />
      )}
    </Page>
  );
}
