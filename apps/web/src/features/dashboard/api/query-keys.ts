/** Every query key of the dashboard: invalidate `all` to refetch it. */
export const dashboardKeys = {
  all: ['dashboard'] as const,
  summary: () => [...dashboardKeys.all, 'summary'] as const,
  activity: () => [...dashboardKeys.all, 'activity'] as const,
};
