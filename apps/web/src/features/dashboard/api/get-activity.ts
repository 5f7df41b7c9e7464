import { dashboardRoutes } from '@passman/contracts';
import type { ActivityItem } from '@passman/contracts';
import { useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { dashboardKeys } from './query-keys';

/** `GET /dashboard/activity`: the last 24 hours of the audit trail on the accounts the user sees. */
export async function getActivity(signal?: AbortSignal): Promise<ActivityItem[]> {
  return (await api.call(dashboardRoutes.activity, { signal })).items;
}

export function useActivity() {
  return useQuery({ queryKey: dashboardKeys.activity(), queryFn: ({ signal }) => getActivity(signal), refetchInterval: 30_000 });
}
