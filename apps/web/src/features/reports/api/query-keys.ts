import type { ReportName } from '@passman/contracts';
import type { ReportFilters } from '../reports-search';

export interface ReportQuery extends ReportFilters {
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** Every query key of the reports: invalidate `all` to refetch what is under it. */
export const reportKeys = {
  all: ['reports'] as const,
  page: (name: ReportName, query: ReportQuery) => [...reportKeys.all, name, query] as const,
};
