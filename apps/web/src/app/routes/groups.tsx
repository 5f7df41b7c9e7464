import { useState } from 'react';
import { GroupMembersWindow } from '@/features/groups/components/group-members-window';
import { GroupsBrowser } from '@/features/groups/components/groups-browser';
import { useUserChoices } from '@/features/users/api/get-users';
import { t } from '@/i18n';
import { Page } from './page';

/** A group's members window, with the users one may add found by what is typed (any of thousands, not a first page). */
function MembersWindow({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const [text, setText] = useState('');
  const choices = useUserChoices(text);
  return <GroupMembersWindow groupId={groupId} userSearch={{ text, onTextChange: setText, ...choices }} onClose={onClose} />;
}

/** Loaded on demand (router.tsx): the first visit does not download the Groups page. */
export function GroupsRoute() {
  return (
    <Page heading={t('groups.heading')}>
      <GroupsBrowser membersWindow={(groupId, onClose) => <MembersWindow key={groupId} groupId={groupId} onClose={onClose} />} />
    </Page>
  );
}
