import { ACCOUNT_STATUSES, type AccountSort, type AccountStatus } from '@passman/contracts';
import { useState } from 'react';
import { useCursorPages, type CursorPages } from '@/lib/use-cursor-pages';
import { oneOf, pageSizeParam, pagesParam, searchText, useUrlCursorPages, useUrlSearch } from '@/lib/url-state';
import { z } from '@passman/contracts';

export { ACCOUNT_STATUSES };
// The sorts the table offers (the API knows createdAt too).
const ACCOUNT_SORTS = [
  'username',
  '-username',
  'status',
  '-status',
  'lastCheckedAt',
  '-lastCheckedAt',
  'target',
  '-target',
] as const satisfies readonly AccountSort[];

/** The Accounts tab's narrower lists, each the dashboard's count of the same name. */
export const ACCOUNT_ONLY = ['checkedOut', 'rotationOverdue'] as const;
export const ACCOUNT_COMPLIANCES = ['Compliant', 'Noncompliant'] as const;

/**
 * The Accounts tab's address: `?folder=&q=&status=&compliance=&only=&target=&sort=&size=&pages=`, and while an
 * account's details window is open, `account=<id>` (a link to it opens it).
 */
export const accountsSearchSchema = z.object({
  folder: z.uuid().optional().catch(undefined),
  q: searchText,
  status: oneOf(ACCOUNT_STATUSES),
  compliance: oneOf(ACCOUNT_COMPLIANCES),
  only: oneOf(ACCOUNT_ONLY),
  target: z.coerce.string().max(64).optional().catch(undefined),
  account: z.uuid().optional().catch(undefined),
  sort: oneOf(ACCOUNT_SORTS),
  size: pageSizeParam,
  pages: pagesParam,
});
export type AccountsSearch = z.infer<typeof accountsSearchSchema>;

export interface AccountListState {
  /** The folder chosen in the tree (its accounts and those below it); '' for the whole vault. */
  folderId: string;
  q: string;
  status: AccountStatus | '';
  compliance: (typeof ACCOUNT_COMPLIANCES)[number] | '';
  only: (typeof ACCOUNT_ONLY)[number] | '';
  targetId: string;
  sort: AccountSort;
  pageSize: number;
}

export const defaultAccountListState: AccountListState = {
  folderId: '',
  q: '',
  status: '',
  compliance: '',
  only: '',
  targetId: '',
  sort: 'username',
  pageSize: 50,
};

/** Where each part of the list's state sits in the address: the Accounts tab's names, or a window's. */
interface AccountListKeys {
  folder?: string;
  q: string;
  status: string;
  compliance?: string;
  only?: string;
  target?: string;
  sort: string;
  size: string;
  pages: string;
}

const TAB_KEYS: AccountListKeys = {
  folder: 'folder',
  q: 'q',
  status: 'status',
  compliance: 'compliance',
  only: 'only',
  target: 'target',
  sort: 'sort',
  size: 'size',
  pages: 'pages',
};

/** The Accounts window of a target on the Targets tab (`targets-search.ts` validates these). */
export const WINDOW_KEYS: AccountListKeys = { q: 'aq', status: 'astatus', sort: 'asort', size: 'asize', pages: 'apages' };

/** The search schema of a window's list, under WINDOW_KEYS. */
export const accountWindowSearchShape = {
  aq: searchText,
  astatus: oneOf(ACCOUNT_STATUSES),
  asort: oneOf(ACCOUNT_SORTS),
  asize: pageSizeParam,
  apages: pagesParam,
};

function fromSearch(search: Record<string, unknown>, keys: AccountListKeys): AccountListState {
  const parsed = {
    folder: keys.folder ? search[keys.folder] : undefined,
    q: search[keys.q],
    status: search[keys.status],
    compliance: keys.compliance ? search[keys.compliance] : undefined,
    only: keys.only ? search[keys.only] : undefined,
    target: keys.target ? search[keys.target] : undefined,
    sort: search[keys.sort],
    size: search[keys.size],
  } as AccountsSearch;
  return {
    folderId: parsed.folder ?? '',
    q: parsed.q ?? '',
    status: parsed.status ?? '',
    compliance: parsed.compliance ?? '',
    only: parsed.only ?? '',
    targetId: parsed.target ?? '',
    sort: parsed.sort ?? 'username',
    pageSize: parsed.size ?? 50,
  };
}

function toSearch(changes: Partial<AccountListState>, keys: AccountListKeys): Record<string, unknown> {
  const search: Record<string, unknown> = {};
  if ('folderId' in changes && keys.folder) search[keys.folder] = changes.folderId || undefined;
  if ('q' in changes) search[keys.q] = changes.q || undefined;
  if ('status' in changes) search[keys.status] = changes.status || undefined;
  if ('compliance' in changes && keys.compliance) search[keys.compliance] = changes.compliance || undefined;
  if ('only' in changes && keys.only) search[keys.only] = changes.only || undefined;
  if ('targetId' in changes && keys.target) search[keys.target] = changes.targetId || undefined;
  if ('sort' in changes) search[keys.sort] = changes.sort === 'username' ? undefined : changes.sort;
  if ('pageSize' in changes) search[keys.size] = changes.pageSize === 50 ? undefined : changes.pageSize;
  return search;
}

export type SetAccountListState = (changes: Partial<AccountListState>) => void;

export interface AccountListControl {
  state: AccountListState;
  setState: SetAccountListState;
  pages: CursorPages;
}

/**
 * Filters, sort and page of an accounts list kept in the address (a filtered list can be shared
 * and reloaded): the Accounts tab's, or with WINDOW_KEYS a target's Accounts window's.
 */
export function useUrlAccountList(keys: AccountListKeys = TAB_KEYS): AccountListControl {
  const [search, setSearch] = useUrlSearch<Record<string, unknown>>();
  return {
    state: fromSearch(search, keys),
    setState: (changes) => setSearch(toSearch(changes, keys), { pagesKey: keys.pages }),
    pages: useUrlCursorPages(search, setSearch, keys.pages),
  };
}

/** Filters and page of an Accounts pop-up: local to the window. */
export function useLocalAccountList(targetId: string): AccountListControl {
  const [state, setState] = useState(defaultAccountListState);
  const pages = useCursorPages(JSON.stringify([targetId, state]));
  return { state, setState: (changes) => setState((s) => ({ ...s, ...changes })), pages };
}
