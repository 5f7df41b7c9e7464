import type { User } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { t } from '@/i18n';
import { UserMfa } from '@/features/mfa/components/user-mfa';
import { UserSessions } from './user-sessions';
import { UserTokens } from './user-tokens';

/** One user's second factors (Reset), sessions and API tokens, with their last use, and Revoke for each. */
export function UserAccessWindow({ user, onClose }: { user: User; onClose: () => void }) {
  return (
    <Dialog
      size="xl"
      title={t('users.access.title', { name: user.username })}
      description={t('users.access.description')}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      <UserMfa user={user} />
      <UserSessions user={user} />
      <UserTokens user={user} />
    </Dialog>
  );
}
