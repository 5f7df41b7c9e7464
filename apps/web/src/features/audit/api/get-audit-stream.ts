import { auditRoutes } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { auditKeys } from './query-keys';

/** `GET /audit/stream`: where the audit trail is streamed and how far delivery has got; refreshed while shown, as the backlog moves. */
export function useAuditStream() {
  return useQuery({
    queryKey: [...auditKeys.all, 'stream'] as const,
    queryFn: ({ signal }) => api.call(auditRoutes.stream, { signal }),
    refetchInterval: 10_000,
  });
}
