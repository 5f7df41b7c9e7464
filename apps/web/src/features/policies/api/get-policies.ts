import { policyRoutes } from '@passman/contracts';
import type { Policy } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api, type Page } from '@/lib/api-client';
import { policyKeys } from './query-keys';

/**
 * `GET /policies`, every page: an installation has a handful of policies, and forms need
 * them all in one select.
 */
export async function getAllPolicies(signal?: AbortSignal): Promise<Policy[]> {
  const all: Policy[] = [];
  let cursor: string | null = null;
  do {
    const page: Page<Policy> = await api.call(policyRoutes.list, { query: { limit: 200, cursor: cursor ?? undefined }, signal });
    all.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor && all.length < 2000);
  return all;
}

export function usePolicies() {
  return useQuery({ queryKey: policyKeys.list(), queryFn: ({ signal }) => getAllPolicies(signal) });
}
