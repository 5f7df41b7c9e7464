import type { AuditQuery } from './get-audit-events';

/** Every query key of the audit trail: invalidate `all` to refetch what is under it. */
export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (query: AuditQuery) => [...auditKeys.lists(), query] as const,
};
