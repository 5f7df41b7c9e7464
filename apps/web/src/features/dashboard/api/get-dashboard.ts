import { dashboardRoutes } from '@passman/contracts';
import type { Dashboard } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { dashboardKeys } from './query-keys';

/** `GET /dashboard`: the counts over what the user may see. */
export function getDashboard(signal?: AbortSignal): Promise<Dashboard> {
  return api.call(dashboardRoutes.summary, { signal });
}

// Counts move as jobs end anywhere; a glance every 15 s is enough for a home page (TanStack skips it while the tab is hidden).
const REFRESH_MS = 15_000;

export function useDashboard() {
  return useQuery({ queryKey: dashboardKeys.summary(), queryFn: ({ signal }) => getDashboard(signal), refetchInterval: REFRESH_MS });
}
