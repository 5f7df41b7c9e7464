import { useEffect, useState } from 'react';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { useDebouncedValue } from '@/lib/use-debounced-value';
import { ACCOUNT_COMPLIANCES, ACCOUNT_ONLY, ACCOUNT_STATUSES, type AccountListState, type SetAccountListState } from '../use-account-list-state';

export interface TargetChoice {
  id: string;
  name: string;
}

/**
 * Search box (debounced: one request per pause), status filter and, on the main tab, target,
 * compliance and "only" filters (checked out now, rotation overdue: where the dashboard's counts lead).
 */
export function AccountsFilters({
  state,
  onChange,
  targets,
  narrower = false,
}: {
  state: AccountListState;
  onChange: SetAccountListState;
  targets?: readonly TargetChoice[] | undefined;
  narrower?: boolean;
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
      {narrower && (
        <>
          <SelectField
            className="filter"
            label={t('accounts.filter.compliance')}
            value={state.compliance}
            onChange={(e) => onChange({ compliance: e.target.value as AccountListState['compliance'] })}
            options={[
              { value: '', label: t('accounts.filter.anyCompliance') },
              ...ACCOUNT_COMPLIANCES.map((c) => ({ value: c, label: t(`accounts.compliance.${c}`) })),
            ]}
          />
          <SelectField
            className="filter"
            label={t('accounts.filter.only')}
            value={state.only}
            onChange={(e) => onChange({ only: e.target.value as AccountListState['only'] })}
            options={[{ value: '', label: t('accounts.filter.onlyAll') }, ...ACCOUNT_ONLY.map((o) => ({ value: o, label: t(`accounts.only.${o}`) }))]}
          />
        </>
      )}
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
