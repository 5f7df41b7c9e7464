import type { ApiToken, EndedSessions, SessionInfo } from '@passman/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';

const PAGE = 50;
const path = (userId: string, rest: string) => `/users/${encodeURIComponent(userId)}/${rest}`;
export const userSessionsKey = (userId: string) => ['users', userId, 'sessions'] as const;
export const userTokensKey = (userId: string) => ['users', userId, 'tokens'] as const;

/** `GET /users/{id}/sessions`, newest first, a page at a time. */
export function useUserSessions(userId: string) {
  return useInfiniteQuery({
    queryKey: userSessionsKey(userId),
    queryFn: ({ pageParam, signal }) => api.get<Page<SessionInfo>>(path(userId, 'sessions'), { query: { limit: PAGE, cursor: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** `GET /users/{id}/tokens`, newest first, a page at a time (never a secret). */
export function useUserTokens(userId: string) {
  return useInfiniteQuery({
    queryKey: userTokensKey(userId),
    queryFn: ({ pageParam, signal }) => api.get<Page<ApiToken>>(path(userId, 'tokens'), { query: { limit: PAGE, cursor: pageParam }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** `DELETE /users/{id}/sessions/{sessionId}`. */
export function useEndUserSession(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api.delete(path(userId, `sessions/${encodeURIComponent(sessionId)}`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userSessionsKey(userId) }),
  });
}

/** `DELETE /users/{id}/sessions`: every session of the user. */
export function useEndUserSessions(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.delete<EndedSessions>(path(userId, 'sessions')),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userSessionsKey(userId) }),
  });
}

/** `DELETE /users/{id}/tokens/{tokenId}`. */
export function useRevokeUserToken(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => api.delete(path(userId, `tokens/${encodeURIComponent(tokenId)}`)),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userTokensKey(userId) }),
  });
}
