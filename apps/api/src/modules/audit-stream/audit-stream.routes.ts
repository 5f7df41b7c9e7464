import { auditRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { AuditStreamService } from './audit-stream.service.js';

export function auditStreamBindings(deps: { auditStream: AuditStreamService }) {
  return [bind(auditRoutes.stream, () => deps.auditStream.status())];
}
