import { auditRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { AuditService } from './audit.service.js';

export function auditBindings(deps: { audit: AuditService }) {
  return [
    bind(auditRoutes.list, ({ query }) => {
      const { limit, cursor, since, until, ...filter } = query;
      return deps.audit.list({ ...filter, since: since ? new Date(since) : undefined, until: until ? new Date(until) : undefined }, limit, cursor);
    }),
    bind(auditRoutes.verify, () => deps.audit.verify()),
  ];
}
