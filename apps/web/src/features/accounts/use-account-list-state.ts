import type { AccountSort, AccountStatus } from '@passman/contracts';
import { useState } from 'react';
import { navigate, useLocation } from '@/lib/router';

// Types only from the contracts: importing their values would bring zod into the bundle.
export const ACCOUNT_STATUSES = ['InSync', 'NotInSync', 'Unknown'] as const satisfies readonly AccountStatus[];
const ACCOUNT_SORTS = ['username', '-username', 'status', '-status', 'lastCheckedAt', '-lastCheckedAt', 'target', '-target'] as const satisfies readonly AccountSort[];

export interface AccountListState {
  q: string;
  status: AccountStatus | '';
  targetId: string;
  sort: AccountSort;
  pageSize: number;
}

export const defaultAccountListState: AccountListState = { q: '', status: '', targetId: '', sort: 'username', pageSize: 50 };

function fromSearch(search: string): AccountListState {
  const params = new URLSearchParams(search);
  const status = params.get('status') ?? '';
  const sort = params.get('sort') ?? '';
  const size = Number(params.get('size'));
  return {
    q: params.get('q') ?? '',
    status: (ACCOUNT_STATUSES as readonly string[]).includes(status) ? (status as AccountStatus) : '',
    targetId: params.get('target') ?? '',
    sort: (ACCOUNT_SORTS as readonly string[]).includes(sort) ? (sort as AccountSort) : 'username',
    pageSize: [25, 50, 100, 200].includes(size) ? size : 50,
  };
}

function toSearch(state: AccountListState): string {
  const params = new URLSearchParams();
  if (state.q) params.set('q', state.q);
  if (state.status) params.set('status', state.status);
  if (state.targetId) params.set('target', state.targetId);
  if (state.sort !== 'username') params.set('sort', state.sort);
  if (state.pageSize !== 50) params.set('size', String(state.pageSize));
  const search = params.toString();
  return search ? `?${search}` : '';
}

export type SetAccountListState = (changes: Partial<AccountListState>) => void;

/** Filters of the Accounts tab, kept in the address (so a filtered list can be shared and reloaded). */
export function useUrlAccountListState(): [AccountListState, SetAccountListState] {
  const { pathname, search } = useLocation();
  const state = fromSearch(search);
  return [state, (changes) => navigate(pathname + toSearch({ ...state, ...changes }), { replace: true })];
}

/** Filters of an Accounts pop-up: local to the window. */
export function useLocalAccountListState(): [AccountListState, SetAccountListState] {
  const [state, setState] = useState(defaultAccountListState);
  return [state, (changes) => setState((s) => ({ ...s, ...changes }))];
}
