import { z } from '@passman/contracts';
import { pageSizeParam, pagesParam, searchText } from '@/lib/url-state';

/** The Users tab's address: `?q=&size=&pages=` (q: a substring of the username or display name). */
export const usersSearchSchema = z.object({ q: searchText, size: pageSizeParam, pages: pagesParam });
export type UsersSearch = z.infer<typeof usersSearchSchema>;
