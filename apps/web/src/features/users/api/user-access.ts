import { userSessionRoutes, userTokenRoutes } from '@passman/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { userKeys } from './query-keys';

const PAGE = 50;

/** `GET /users/{id}/sessions`, newest first, a page at a time. */
export function useUserSessions(userId: string) {
  return useInfiniteQuery({
    queryKey: userKeys.sessions(userId),
    queryFn: ({ pageParam, signal }) =>
      api.call(userSessionRoutes.list, { params: { id: userId }, query: { limit: PAGE, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** `GET /users/{id}/tokens`, newest first, a page at a time (never a secret). */
export function useUserTokens(userId: string) {
  return useInfiniteQuery({
    queryKey: userKeys.tokens(userId),
    queryFn: ({ pageParam, signal }) =>
      api.call(userTokenRoutes.list, { params: { id: userId }, query: { limit: PAGE, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** `DELETE /users/{id}/sessions/{sessionId}`. */
export function useEndUserSession(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (sessionId: string) => api.call(userSessionRoutes.end, { params: { id: userId, sessionId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.sessions(userId) }),
  });
}

/** `DELETE /users/{id}/sessions`: every session of the user. */
export function useEndUserSessions(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(userSessionRoutes.endAll, { params: { id: userId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.sessions(userId) }),
  });
}

/** `DELETE /users/{id}/tokens/{tokenId}`. */
export function useRevokeUserToken(userId: string) {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (tokenId: string) => api.call(userTokenRoutes.revoke, { params: { id: userId, tokenId } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: userKeys.tokens(userId) }),
  });
}
