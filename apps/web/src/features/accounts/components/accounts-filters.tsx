import { useEffect, useState } from 'react';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { ACCOUNT_STATUSES, type AccountListState, type SetAccountListState } from '../use-account-list-state';

export interface TargetChoice {
  id: string;
  name: string;
}

/** Search box (debounced: one request per pause), status filter and, on the main tab, target filter. */
export function AccountsFilters({
  state,
  onChange,
  targets,
}: {
  state: AccountListState;
  onChange: SetAccountListState;
  targets?: readonly TargetChoice[] | undefined;
}) {
  const [text, setText] = useState(state.q);
  const settled = useDebouncedValue(text.trim(), 300);
  useEffect(() => {
    if (settled !== state.q) onChange({ q: settled });
    // Only a settled edit of the box updates the list.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [settled]);

  return (
    <>
      <TextField
        className="filter filter--search"
        label={t('accounts.filter.search')}
        type="search"
        placeholder={t('accounts.filter.searchPlaceholder')}
        value={text}
        maxLength={100}
        onChange={(e) => setText(e.target.value)}
      />
      <SelectField
        className="filter"
        label={t('accounts.filter.status')}
        value={state.status}
        onChange={(e) => onChange({ status: e.target.value as AccountListState['status'] })}
        options={[{ value: '', label: t('accounts.filter.anyStatus') }, ...ACCOUNT_STATUSES.map((s) => ({ value: s, label: t(`accounts.status.${s}`) }))]}
      />
      {targets && (
        <SelectField
          className="filter"
          label={t('accounts.filter.target')}
          value={state.targetId}
          onChange={(e) => onChange({ targetId: e.target.value })}
          options={[{ value: '', label: t('accounts.filter.anyTarget') }, ...targets.map((x) => ({ value: x.id, label: x.name }))]}
        />
      )}
    </>
  );
}
