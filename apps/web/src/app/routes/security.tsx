import { MySessions } from '@/features/sessions/components/my-sessions';
import { SecurityPage } from '@/features/mfa/components/security-page';
import { t } from '@/i18n';
import { Page } from './page';

/** The signed-in user's own security: second factors and recovery codes, then their sessions. */
export function SecurityRoute() {
  return (
    <Page heading={t('security.heading')}>
      <SecurityPage />
      <MySessions />
    </Page>
  );
}
