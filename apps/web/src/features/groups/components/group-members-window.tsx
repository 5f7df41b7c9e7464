import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useGroup } from '../api/get-group';
import { useAddGroupMember, useRemoveGroupMember } from '../api/group-members';

export interface MemberChoice {
  id: string;
  username: string;
}

/** A group's members: who is in it since when, remove one, add a user. */
export function GroupMembersWindow({ groupId, users, onClose }: { groupId: string; users: readonly MemberChoice[] | undefined; onClose: () => void }) {
  const group = useGroup(groupId);
  const add = useAddGroupMember();
  const remove = useRemoveGroupMember();
  const [userId, setUserId] = useState('');
  const members = group.data?.members ?? [];
  const candidates = (users ?? []).filter((u) => !members.some((m) => m.id === u.id));
  const name = group.data?.name ?? '';

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (userId) add.mutate({ groupId, userId }, { onSuccess: () => setUserId('') });
  }

  return (
    <Dialog
      size="lg"
      title={group.data ? t('groups.members.title', { name }) : t('groups.members.loadingTitle')}
      description={group.data ? t('groups.memberCount', { count: members.length }) : undefined}
      onClose={onClose}
      footer={
        <Button variant="primary" onClick={onClose}>
          {t('common.close')}
        </Button>
      }
    >
      {group.isPending ? (
        <p role="status" className="muted">
          <Spinner size="sm" /> {t('table.loading')}
        </p>
      ) : group.isError ? (
        <ErrorState error={group.error} onRetry={() => void group.refetch()} retrying={group.isRefetching} />
      ) : (
        <>
          <form className="inline-form" onSubmit={submit} noValidate>
            <SelectField
              className="grow"
              label={t('groups.members.add')}
              value={userId}
              onChange={(e) => setUserId(e.target.value)}
              options={[{ value: '', label: t('groups.members.choose') }, ...candidates.map((u) => ({ value: u.id, label: u.username }))]}
            />
            <Button type="submit" disabled={!userId} pending={add.isPending}>
              {t('groups.members.addSubmit')}
            </Button>
          </form>
          {add.isError && <FormAlert error={add.error} />}
          {members.length === 0 ? (
            <p className="muted">{t('groups.members.empty')}</p>
          ) : (
            <table className="mini-table" aria-label={t('groups.members.tableLabel', { name })}>
              <thead>
                <tr>
                  <th scope="col">{t('groups.members.col.username')}</th>
                  <th scope="col">{t('groups.members.col.displayName')}</th>
                  <th scope="col">{t('groups.members.col.added')}</th>
                  <th scope="col" className="is-end">
                    <span className="sr-only">{t('groups.col.actions')}</span>
                  </th>
                </tr>
              </thead>
              <tbody>
                {members.map((m) => (
                  <tr key={m.id}>
                    <td className="cell-main">{m.username}</td>
                    <td>{m.displayName}</td>
                    <td>{formatDateTime(m.addedAt)}</td>
                    <td className="is-end">
                      <Button
                        size="sm"
                        variant="ghost"
                        pending={remove.isPending && remove.variables?.userId === m.id}
                        aria-label={t('groups.members.removeLabel', { user: m.username, name })}
                        onClick={() => remove.mutate({ groupId, userId: m.id })}
                      >
                        {t('groups.members.remove')}
                      </Button>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
          {remove.isError && <FormAlert error={remove.error} />}
        </>
      )}
    </Dialog>
  );
}
