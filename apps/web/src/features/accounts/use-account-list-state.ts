import { ACCOUNT_STATUSES, type AccountSort, type AccountStatus } from '@passman/contracts';
import { useState } from 'react';
import { useCursorPages, type CursorPages } from '@/lib/use-cursor-pages';
import { oneOf, pageSizeParam, pagesParam, searchText, useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { z } from '@passman/contracts';

export { ACCOUNT_STATUSES };
// The sorts the table offers (the API knows createdAt too).
const ACCOUNT_SORTS = ['username', '-username', 'status', '-status', 'lastCheckedAt', '-lastCheckedAt', 'target', '-target'] as const satisfies readonly AccountSort[];

/** The Accounts tab's address: `?q=&status=&target=&sort=&size=&pages=`. */
export const accountsSearchSchema = z.object({
  q: searchText,
  status: oneOf(ACCOUNT_STATUSES),
  target: z.coerce.string().max(64).optional().catch(undefined),
  sort: oneOf(ACCOUNT_SORTS),
  size: pageSizeParam,
  pages: pagesParam,
});
export type AccountsSearch = z.infer<typeof accountsSearchSchema>;

export interface AccountListState {
  q: string;
  status: AccountStatus | '';
  targetId: string;
  sort: AccountSort;
  pageSize: number;
}

export const defaultAccountListState: AccountListState = { q: '', status: '', targetId: '', sort: 'username', pageSize: 50 };

function fromSearch(search: AccountsSearch): AccountListState {
  return {
    q: search.q ?? '',
    status: search.status ?? '',
    targetId: search.target ?? '',
    sort: search.sort ?? 'username',
    pageSize: search.size ?? 50,
  };
}

function toSearch(changes: Partial<AccountListState>): Partial<AccountsSearch> {
  const search: Partial<AccountsSearch> = {};
  if ('q' in changes) search.q = changes.q || undefined;
  if ('status' in changes) search.status = changes.status || undefined;
  if ('targetId' in changes) search.target = changes.targetId || undefined;
  if ('sort' in changes) search.sort = changes.sort === 'username' ? undefined : (changes.sort as AccountsSearch['sort']);
  if ('pageSize' in changes) search.size = changes.pageSize === 50 ? undefined : changes.pageSize;
  return search;
}

export type SetAccountListState = (changes: Partial<AccountListState>) => void;

export interface AccountListControl {
  state: AccountListState;
  setState: SetAccountListState;
  pages: CursorPages;
}

/** Filters, sort and page of the Accounts tab, kept in the address (a filtered list can be shared and reloaded). */
export function useUrlAccountList(): AccountListControl {
  const [search, setSearch] = useUrlSearch<AccountsSearch>();
  return {
    state: fromSearch(search),
    setState: (changes) => setSearch(toSearch(changes)),
    pages: useUrlCursorPages(search, setSearch),
  };
}

/** Filters and page of an Accounts pop-up: local to the window. */
export function useLocalAccountList(targetId: string): AccountListControl {
  const [state, setState] = useState(defaultAccountListState);
  const pages = useCursorPages(JSON.stringify([targetId, state]));
  return { state, setState: (changes) => setState((s) => ({ ...s, ...changes })), pages };
}
