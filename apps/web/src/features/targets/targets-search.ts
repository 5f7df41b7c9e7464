import { TARGET_SORTS, z } from '@passman/contracts';
import { accountWindowSearchShape } from '@/features/accounts/use-account-list-state';
import { oneOf, pageSizeParam, pagesParam, searchText } from '@/lib/url-state';

/** The tabs of a target's window: its accounts, its permissions. */
export const TARGET_WINDOW_TABS = ['accounts', 'permissions'] as const;

/** `hostKey=pending`: only targets with a host key waiting for approval (the dashboard's count). */
export const TARGET_HOST_KEY_FILTERS = ['pending'] as const;

/**
 * The Targets tab's address: `?folder=&q=&hostKey=&sort=&size=&pages=`, and while a target's Accounts window
 * is open `accountsOf=<target id>` with the window's tab (`ttab`) and list (`aq`, `astatus`, `asort`, `asize`, `apages`).
 */
export const targetsSearchSchema = z.object({
  folder: z.uuid().optional().catch(undefined),
  q: searchText,
  hostKey: oneOf(TARGET_HOST_KEY_FILTERS),
  sort: oneOf(TARGET_SORTS),
  size: pageSizeParam,
  pages: pagesParam,
  accountsOf: z.uuid().optional().catch(undefined),
  ttab: oneOf(TARGET_WINDOW_TABS),
  ...accountWindowSearchShape,
});
export type TargetsSearch = z.infer<typeof targetsSearchSchema>;
