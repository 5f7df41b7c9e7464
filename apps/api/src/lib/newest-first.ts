import { decodeKeyset, encodeKeyset, keyParts } from './keyset.js';

/** The sort key of lists shown newest first (a user's sessions and tokens). */
export interface CreatedKey {
  createdAt: Date;
  id: string;
}

const SORT = 'newest';

/** The position a cursor of list `scope` stands for; INVALID_CURSOR for any other cursor. */
export function decodeNewestFirst(scope: string, cursor: string | undefined): CreatedKey | undefined {
  if (!cursor) return undefined;
  const [createdAt, id] = decodeKeyset(scope, SORT, cursor, [keyParts.timestamp, keyParts.uuid]) as [string, string];
  return { createdAt: new Date(createdAt), id };
}

/** One page from `limit + 1` rows read newest first: the items and the cursor of the next page. */
export function newestFirstPage<R extends CreatedKey, T>(scope: string, rows: R[], limit: number, present: (row: R) => T) {
  const page = rows.slice(0, limit);
  const last = page.at(-1);
  return {
    items: page.map(present),
    nextCursor: rows.length > limit && last ? encodeKeyset(scope, SORT, [last.createdAt.toISOString(), last.id]) : null,
  };
}

/** Rows strictly after `key` in newest-first order (Prisma `where` fragment). */
export function olderThan(key: CreatedKey | undefined) {
  return key ? { OR: [{ createdAt: { lt: key.createdAt } }, { createdAt: key.createdAt, id: { lt: key.id } }] } : {};
}
