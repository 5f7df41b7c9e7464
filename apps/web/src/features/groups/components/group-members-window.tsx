import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { choicesStatus, Combobox } from '@/components/ui/combobox';
import { Dialog } from '@/components/ui/dialog';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useGroup } from '../api/get-group';
import { useAddGroupMember, useRemoveGroupMember } from '../api/group-members';

export interface MemberChoice {
  id: string;
  username: string;
  displayName: string;
}

/** The users whose name contains the text typed in the window (users are another feature: the caller searches). */
export interface MemberSearch {
  text: string;
  onTextChange: (text: string) => void;
  /** The first matches, by username; undefined before the first answer. */
  users: readonly MemberChoice[] | undefined;
  /** More users match than `users` holds. */
  more: boolean;
  searching: boolean;
  error: unknown;
}

/** A group's members: who is in it since when, remove one, add a user found by name. */
export function GroupMembersWindow({ groupId, userSearch, onClose }: { groupId: string; userSearch: MemberSearch; onClose: () => void }) {
  const group = useGroup(groupId);
  const add = useAddGroupMember();
  const remove = useRemoveGroupMember();
  const [picked, setPicked] = useState<MemberChoice | null>(null);
  const members = group.data?.members ?? [];
  const matches = userSearch.users ?? [];
  const candidates = matches.filter((u) => !members.some((m) => m.id === u.id));
  const name = group.data?.name ?? '';
  const none = matches.length === 0 ? t('groups.members.noMatch') : userSearch.more ? t('groups.members.firstAreMembers') : t('groups.members.allMembers');

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!picked) return;
    add.mutate(
      { groupId, userId: picked.id },
      {
        onSuccess: () => {
          setPicked(null);
          userSearch.onTextChange('');
        },
      },
    );
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
            <Combobox
              className="grow"
              label={t('groups.members.add')}
              placeholder={t('groups.members.searchPlaceholder')}
              maxLength={100}
              inputValue={picked ? picked.username : userSearch.text}
              onInputChange={(text) => {
                setPicked(null);
                userSearch.onTextChange(text);
              }}
              options={candidates.map((u) => ({ value: u.id, label: u.username, detail: u.displayName === u.username ? undefined : u.displayName }))}
              onSelect={(option) => setPicked(candidates.find((u) => u.id === option.value) ?? null)}
              busy={userSearch.searching}
              status={choicesStatus({ searching: userSearch.searching, error: userSearch.error, shown: candidates.length, more: userSearch.more, none })}
            />
            <Button type="submit" disabled={!picked} pending={add.isPending}>
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
