import type { AuditOutcome } from '@passman/contracts';

export interface AuditQuery {
  action?: string | undefined;
  objectType?: string | undefined;
  objectId?: string | undefined;
  outcome?: AuditOutcome | undefined;
  since?: string | undefined;
  until?: string | undefined;
  limit?: number | undefined;
  cursor?: string | null | undefined;
}

/** Every query key of the audit trail: invalidate `all` to refetch what is under it. */
export const auditKeys = {
  all: ['audit'] as const,
  lists: () => [...auditKeys.all, 'list'] as const,
  list: (query: AuditQuery) => [...auditKeys.lists(), query] as const,
};
