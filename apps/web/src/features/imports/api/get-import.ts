import { hasImportEnded, importRoutes, type ImportDetail } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { importKeys } from './query-keys';

/** How often a running import is asked for its progress. */
export const IMPORT_POLL_MS = 1_000;

/** `GET /imports/{id}`: state, counts and a page of its rows; asked again every second until it has ended. */
export function useImport(id: string | undefined, rowsCursor?: string) {
  return useQuery({
    queryKey: importKeys.detail(id ?? '', rowsCursor),
    queryFn: ({ signal }): Promise<ImportDetail> =>
      api.call(importRoutes.get, { params: { id: id! }, query: { limit: 50, ...(rowsCursor ? { cursor: rowsCursor } : {}) }, signal }),
    enabled: id !== undefined,
    placeholderData: keepPreviousData,
    refetchInterval: (query) => (query.state.data && !hasImportEnded(query.state.data.state) ? IMPORT_POLL_MS : false),
  });
}

/** Where the error report of an import downloads from (a plain link: the browser sends the session cookie). */
export const errorReportUrl = (id: string) => api.url(importRoutes.errors, { params: { id } });
