import { auditRoutes } from '@passman/contracts';
import type { AuditEvent } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { auditKeys, type AuditQuery } from './query-keys';

export type { AuditQuery } from './query-keys';

/** `GET /audit`: the trail, newest first, filtered. */
export function getAuditEvents(query: AuditQuery, signal?: AbortSignal): Promise<Page<AuditEvent>> {
  return api.call(auditRoutes.list, { query: { ...query, cursor: query.cursor ?? undefined }, signal });
}

export function useAuditEvents(query: AuditQuery, options: { enabled?: boolean } = {}) {
  return useQuery({
    queryKey: auditKeys.list(query),
    queryFn: ({ signal }) => getAuditEvents(query, signal),
    placeholderData: keepPreviousData,
    enabled: options.enabled ?? true,
  });
}
