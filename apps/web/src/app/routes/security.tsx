import { MySessions } from '@/features/sessions/components/my-sessions';
import { t } from '@/i18n';
import { Page } from './page';

/** The signed-in user's own security: their sessions (sign-in factors join this page as sections). */
export function SecurityRoute() {
  return (
    <Page heading={t('security.heading')}>
      <MySessions />
    </Page>
  );
}
