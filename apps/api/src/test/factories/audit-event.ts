import { randomUUID } from 'node:crypto';
import type { Prisma } from '@passman/db';
import type { TestApi } from '../test-api.js';
import { factoryContext } from './context.js';

export interface AuditEventOverrides {
  action?: string;
  objectType?: string;
  objectId?: string;
  details?: Prisma.InputJsonObject;
}

/**
 * An event appended to the audit trail by the audit service (hash-chained and keyed like every
 * other); `test.event` on a new object id unless told. Returns the stored row.
 */
export async function createAuditEvent(api: TestApi, overrides: AuditEventOverrides = {}) {
  const objectId = overrides.objectId ?? randomUUID();
  const action = overrides.action ?? 'test.event';
  await api.services.audit.record(factoryContext(), { action, objectType: overrides.objectType ?? 'thing', objectId, details: overrides.details ?? {} });
  return api.db.auditEvent.findFirstOrThrow({ where: { action, objectId }, orderBy: { seq: 'desc' } });
}
