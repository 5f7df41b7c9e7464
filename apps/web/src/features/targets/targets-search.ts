import { TARGET_SORTS, z } from '@passman/contracts';
import { oneOf, pageSizeParam, pagesParam, searchText } from '@/lib/url-state';

/** The Targets tab's address: `?q=&sort=&size=&pages=`. */
export const targetsSearchSchema = z.object({ q: searchText, sort: oneOf(TARGET_SORTS), size: pageSizeParam, pages: pagesParam });
export type TargetsSearch = z.infer<typeof targetsSearchSchema>;
