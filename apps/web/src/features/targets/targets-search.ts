import { TARGET_SORTS, z } from '@passman/contracts';
import { accountWindowSearchShape } from '@/features/accounts/use-account-list-state';
import { oneOf, pageSizeParam, pagesParam, searchText } from '@/lib/url-state';

/**
 * The Targets tab's address: `?q=&sort=&size=&pages=`, and while a target's Accounts window is
 * open `accountsOf=<target id>` with the window's list (`aq`, `astatus`, `asort`, `asize`, `apages`).
 */
export const targetsSearchSchema = z.object({
  q: searchText,
  sort: oneOf(TARGET_SORTS),
  size: pageSizeParam,
  pages: pagesParam,
  accountsOf: z.uuid().optional().catch(undefined),
  ...accountWindowSearchShape,
});
export type TargetsSearch = z.infer<typeof targetsSearchSchema>;
