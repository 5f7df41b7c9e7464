import { sessionRoutes } from '@passman/contracts';
import { useInfiniteQuery, useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

const PAGE = 50;

export const mySessionKeys = { all: ['my-sessions'] as const };

/** `GET /auth/sessions`: the signed-in user's sessions, newest first, this one marked. */
export function useMySessions() {
  return useInfiniteQuery({
    queryKey: mySessionKeys.all,
    queryFn: ({ pageParam, signal }) => api.call(sessionRoutes.listMine, { query: { limit: PAGE, cursor: pageParam ?? undefined }, signal }),
    initialPageParam: null as string | null,
    getNextPageParam: (last) => last.nextCursor,
  });
}

/** `DELETE /auth/sessions/{id}`: one of the user's other sessions. */
export function useEndMySession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => api.call(sessionRoutes.endMine, { params: { id } }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mySessionKeys.all }),
  });
}

/** `DELETE /auth/sessions`: every session of the user but this one. */
export function useEndMyOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api.call(sessionRoutes.endOthers),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: mySessionKeys.all }),
  });
}
