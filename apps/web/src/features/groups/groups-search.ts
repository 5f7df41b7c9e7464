import { z } from '@passman/contracts';
import { searchText } from '@/lib/url-state';

/** The Groups page's address: `?q=` (the name filter) and `group=<id>` while a group's members window is open. */
export const groupsSearchSchema = z.object({
  q: searchText,
  group: z.uuid().optional().catch(undefined),
});
export type GroupsSearch = z.infer<typeof groupsSearchSchema>;
