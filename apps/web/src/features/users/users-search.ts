import { z } from '@passman/contracts';
import { pageSizeParam, pagesParam } from '@/lib/url-state';

/** The Users tab's address: `?size=&pages=`. */
export const usersSearchSchema = z.object({ size: pageSizeParam, pages: pagesParam });
export type UsersSearch = z.infer<typeof usersSearchSchema>;
