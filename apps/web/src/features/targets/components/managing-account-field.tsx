import type { Target } from '@passman/contracts';
import { useState } from 'react';
import { SelectField, type SelectOption } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { useAccounts } from '@/features/accounts/api/get-accounts';
import { t } from '@/i18n';
import { useDebouncedValue } from '@/lib/use-debounced-value';

export type ManagingAccount = Target['managingAccount'];

/** The API's largest page: a host rarely has more logins than this; past it, a search narrows the list. */
const ACCOUNTS_PAGE = 200;
const NONE = '';

/**
 * Chooses the target's managing account among the target's own accounts, or none. The one
 * chosen stays an option while a search hides it, so the select never shows a wrong value.
 */
export function ManagingAccountField({
  targetId,
  value,
  onChange,
  error,
}: {
  targetId: string;
  value: ManagingAccount;
  onChange: (next: ManagingAccount) => void;
  error?: string | undefined;
}) {
  const [search, setSearch] = useState('');
  const q = useDebouncedValue(search.trim());
  const accounts = useAccounts({ targetId, q: q || undefined, sort: 'username', limit: ACCOUNTS_PAGE });
  const items = accounts.data?.items ?? [];
  const searchable = Boolean(accounts.data?.nextCursor) || search !== '';

  const listed = items.map((a) => ({ id: a.id, username: a.username }));
  const choices = value && !listed.some((a) => a.id === value.id) ? [value, ...listed] : listed;
  const options: SelectOption[] = [{ value: NONE, label: t('targets.form.managingNone') }, ...choices.map((a) => ({ value: a.id, label: a.username }))];
  const noAccounts = accounts.isSuccess && items.length === 0 && !q;

  return (
    <>
      {searchable && (
        <TextField
          label={t('targets.form.managingSearch')}
          type="search"
          value={search}
          spellCheck={false}
          autoCapitalize="none"
          maxLength={100}
          onChange={(e) => setSearch(e.target.value)}
        />
      )}
      <SelectField
        label={t('targets.form.managing')}
        hint={noAccounts ? `${t('targets.form.managingHint')} ${t('targets.form.managingNoAccounts')}` : t('targets.form.managingHint')}
        value={value?.id ?? NONE}
        disabled={accounts.isPending}
        error={error ?? (accounts.isError ? t('targets.form.managingLoadFailed') : undefined)}
        options={options}
        onChange={(e) => onChange(choices.find((a) => a.id === e.target.value) ?? null)}
      />
    </>
  );
}
