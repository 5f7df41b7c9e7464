import { z } from '@passman/contracts';
import { oneOf, pageSizeParam, pagesParam, searchText } from '@/lib/url-state';
import { AUDIT_OUTCOMES } from './components/audit-labels';

/** The Audit tab's address: `?action=&objectType=&outcome=&size=&pages=`. */
export const auditSearchSchema = z.object({
  action: searchText,
  objectType: searchText,
  outcome: oneOf(AUDIT_OUTCOMES),
  size: pageSizeParam,
  pages: pagesParam,
});
export type AuditSearch = z.infer<typeof auditSearchSchema>;
