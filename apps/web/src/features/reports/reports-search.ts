import { ACTIVITY_KINDS, REPORT_NAMES, z } from '@passman/contracts';
import { oneOf, pageSizeParam, pagesParam, searchText } from '@/lib/url-state';

/** The Reports pages: one per report, and the Export page. */
export const REPORT_PAGES = [...REPORT_NAMES, 'export'] as const;
export type ReportPage = (typeof REPORT_PAGES)[number];

const day = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/)
  .optional()
  .catch(undefined);

/**
 * A report's address: `/reports/<name>?folder=&flat=1&target=&user=&kind=&since=&until=&q=&size=&pages=`.
 * `since` and `until` are days (UTC); `flat` leaves out the folders below `folder`.
 */
export const reportsSearchSchema = z.object({
  folder: z.uuid().optional().catch(undefined),
  flat: z.literal('1').optional().catch(undefined),
  target: z.uuid().optional().catch(undefined),
  user: z.uuid().optional().catch(undefined),
  kind: oneOf(ACTIVITY_KINDS),
  since: day,
  until: day,
  q: searchText,
  size: pageSizeParam,
  pages: pagesParam,
});
export type ReportsSearch = z.infer<typeof reportsSearchSchema>;

/** The API's filters for the address's (the same for the JSON pages, the CSV and the exports). */
export function reportFilters(search: ReportsSearch) {
  return {
    folderId: search.folder,
    recursive: search.folder && search.flat ? ('false' as const) : undefined,
    targetId: search.target,
    userId: search.user,
    kind: search.kind,
    since: search.since ? `${search.since}T00:00:00.000Z` : undefined,
    until: search.until ? `${search.until}T23:59:59.999Z` : undefined,
    q: search.q,
  };
}
export type ReportFilters = ReturnType<typeof reportFilters>;
