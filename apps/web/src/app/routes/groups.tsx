import { GroupMembersWindow } from '@/features/groups/components/group-members-window';
import { GroupsBrowser } from '@/features/groups/components/groups-browser';
import { useUsers } from '@/features/users/api/get-users';
import { t } from '@/i18n';
import { Page } from './page';

/** A group's members window, with the users one may add (the first page of users: the API has no search by name yet). */
function MembersWindow({ groupId, onClose }: { groupId: string; onClose: () => void }) {
  const users = useUsers({ limit: 200 });
  return <GroupMembersWindow groupId={groupId} users={users.data?.items} onClose={onClose} />;
}

/** Loaded on demand (router.tsx): the first visit does not download the Groups page. */
export function GroupsRoute() {
  return (
    <Page heading={t('groups.heading')}>
      <GroupsBrowser membersWindow={(groupId, onClose) => <MembersWindow key={groupId} groupId={groupId} onClose={onClose} />} />
    </Page>
  );
}
