import { useNavigate, useRouterState } from '@tanstack/react-router';
import { useCallback } from 'react';
import { SearchTextSchema, z } from '@passman/contracts';
import type { CursorPages } from './use-cursor-pages';

/*
 * A list's filters, sort, page size and page live in the address, so a reload, a shared link or
 * the back button shows the same list. Each route validates its search with a zod schema made
 * from the helpers below; a value that does not fit is dropped, never an error page.
 */

/** Free text typed in a filter box, under the API's own rule for it (one line, at most 100 characters, no control characters). */
export const searchText = z.coerce.string().pipe(SearchTextSchema).optional().catch(undefined);

/** One of a fixed set of values (a status, a sort key). */
export const oneOf = <const T extends readonly [string, ...string[]]>(values: T) => z.enum(values).optional().catch(undefined);

/** The pager's choices of rows per page. */
export const PAGE_SIZES = [25, 50, 100, 200] as const;

/** Rows per page: one of the pager's choices. */
export const pageSizeParam = z.coerce
  .number()
  .refine((size) => (PAGE_SIZES as readonly number[]).includes(size))
  .optional()
  .catch(undefined);

/**
 * The cursors of the pages visited after the first, joined by `.` (cursors are base64url, which
 * has no dot): Previous needs no backwards query, and a reload lands on the same page.
 */
export const pagesParam = z.coerce
  .string()
  .regex(/^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/)
  .max(16_384)
  .optional()
  .catch(undefined);

export interface PagedSearch {
  pages?: string | undefined;
  size?: number | undefined;
}

export interface SetSearchOptions {
  /** Push a history entry (Back returns to the state before) instead of replacing it. */
  push?: boolean;
  /** The pages parameter this change sends back to the first page; `null`: none. Default `pages`. */
  pagesKey?: string | null;
}

export type SetSearch<T> = (changes: Partial<T>, options?: SetSearchOptions) => void;

/**
 * The current route's validated search, and a setter. A change of filters, sort or size
 * replaces the entry and starts again at the first page; a page change is pushed, so the back
 * button returns to the page before.
 */
export function useUrlSearch<T extends object>(): [T, SetSearch<T>] {
  // The deepest match's search, as its route's schema validated it (this hook serves every list).
  const validated: unknown = useRouterState({ select: (state) => state.matches[state.matches.length - 1]?.search });
  const search = validated as T;
  const navigate = useNavigate();
  const set = useCallback<SetSearch<T>>(
    (changes, { push = false, pagesKey = 'pages' } = {}) => {
      const restart = pagesKey !== null && !(pagesKey in changes) ? { [pagesKey]: undefined } : {};
      void navigate({
        to: '.',
        search: (previous: Record<string, unknown>) => withoutEmpty({ ...previous, ...restart, ...changes }),
        replace: !push,
      });
    },
    [navigate],
  );
  return [search, set];
}

function withoutEmpty(search: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(search).filter(([, value]) => value !== undefined && value !== ''));
}

/** Previous / Next over the cursors kept in the address under `key` (see `pagesParam`). */
export function useUrlCursorPages<T extends object>(search: T, setSearch: SetSearch<T>, key: keyof T & string = 'pages' as keyof T & string): CursorPages {
  const value = search[key];
  const visited = typeof value === 'string' && value ? value.split('.') : [];
  const go = (pages: string | undefined) => setSearch({ [key]: pages } as Partial<T>, { push: true, pagesKey: null });
  return {
    page: visited.length + 1,
    cursor: visited[visited.length - 1] ?? null,
    hasPrevious: visited.length > 0,
    next: (cursor) => {
      if (cursor) go([...visited, cursor].join('.'));
    },
    previous: () => go(visited.slice(0, -1).join('.') || undefined),
    reset: () => go(undefined),
  };
}
