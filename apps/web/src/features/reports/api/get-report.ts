import { reportRoutes, type ReportBucket, type ReportName } from '@passman/contracts';
import { keepPreviousData, useQuery } from '@tanstack/react-query';
import { api } from '@/lib/api-client';
import { reportKeys, type ReportQuery } from './query-keys';

/** The route of each report. */
export const REPORT_ROUTES = {
  activity: reportRoutes.activity,
  'not-in-sync': reportRoutes.notInSync,
  'rotation-overdue': reportRoutes.rotationOverdue,
  noncompliant: reportRoutes.noncompliant,
  'checked-out': reportRoutes.checkedOut,
  'host-keys-pending': reportRoutes.hostKeysPending,
} as const satisfies Record<ReportName, unknown>;

/** What every report's page has; its rows are the report's own (see the columns). */
export interface ReportPageData {
  items: Record<string, unknown>[];
  nextCursor: string | null;
  summary: ReportBucket[] | null;
  total: number | null;
}

/** The filters a report takes: Activity has them all, Checked out now a user, the rest the tree's. */
function queryFor(name: ReportName, query: ReportQuery) {
  const { userId, kind, since, until, cursor, ...rest } = query;
  const common = { ...rest, cursor: cursor ?? undefined };
  if (name === 'activity') return { ...common, userId, kind, since, until };
  if (name === 'checked-out') return { ...common, userId };
  return common;
}

/** `GET /reports/{name}`: one page, the first with the chart's groups and the total. */
export function getReport(name: ReportName, query: ReportQuery, signal?: AbortSignal): Promise<ReportPageData> {
  // One route per report, all of the same shape: the activity route's types stand for them.
  const route = REPORT_ROUTES[name] as typeof reportRoutes.activity;
  return api.call(route, { query: queryFor(name, query) as never, signal }) as Promise<ReportPageData>;
}

export function useReport(name: ReportName, query: ReportQuery) {
  return useQuery({
    queryKey: reportKeys.page(name, query),
    queryFn: ({ signal }) => getReport(name, query, signal),
    placeholderData: keepPreviousData,
  });
}
