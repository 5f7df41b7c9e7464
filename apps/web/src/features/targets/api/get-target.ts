import type { Target } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';

export const targetQueryKey = (id: string) => ['targets', 'detail', id] as const;

/** `GET /targets/{id}` with its host keys. */
export function getTarget(id: string, signal?: AbortSignal): Promise<Target> {
  return api.get<Target>(`/targets/${encodeURIComponent(id)}`, { signal });
}

export function useTarget(id: string, initialData?: Target) {
  return useQuery({ queryKey: targetQueryKey(id), queryFn: ({ signal }) => getTarget(id, signal), initialData, staleTime: 0 });
}
