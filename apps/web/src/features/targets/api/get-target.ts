import { targetRoutes } from '@passman/contracts';
import type { Target } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { targetKeys } from './query-keys';

/** `GET /targets/{id}` with its host keys. */
export function getTarget(id: string, signal?: AbortSignal): Promise<Target> {
  return api.call(targetRoutes.get, { params: { id }, signal });
}

export function useTarget(id: string, initialData?: Target) {
  return useQuery({ queryKey: targetKeys.detail(id), queryFn: ({ signal }) => getTarget(id, signal), initialData, staleTime: 0 });
}
