import { UsersBrowser } from '@/features/users/components/users-browser';
import { t } from '@/i18n';
import { Page } from './page';

export function UsersRoute() {
  return (
    <Page heading={t('users.heading')}>
      <UsersBrowser />
    </Page>
  );
}
