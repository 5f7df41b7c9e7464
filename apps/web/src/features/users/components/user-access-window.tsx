import type { User } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { t } from '@/i18n';
import { UserSessions } from './user-sessions';
import { UserTokens } from './user-tokens';

/** One user's sessions and API tokens, with their last use, and Revoke for each. */
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
      <UserSessions user={user} />
      <UserTokens user={user} />
    </Dialog>
  );
}
