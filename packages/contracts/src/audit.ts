import { CursorSchema, LimitSchema, TimestampSchema, pageOf } from './common.js';
import { SingleLineTextSchema } from './text.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

export const AuditOutcomeSchema = z.enum(['success', 'failure', 'denied']).openapi('AuditOutcome');
export type AuditOutcome = z.infer<typeof AuditOutcomeSchema>;

export const AuditEventSchema = z
  .object({
    seq: z.string().openapi({ description: 'Position in the chain (a 64-bit integer as a string)' }),
    at: TimestampSchema,
    actorId: z.uuid().nullable(),
    actorName: z.string(),
    action: z.string().openapi({ example: 'target.create' }),
    objectType: z.string(),
    objectId: z.string().nullable(),
    outcome: AuditOutcomeSchema,
    requestId: z.string().nullable(),
    ip: z.string().nullable(),
    details: z.record(z.string(), z.unknown()),
    hash: z.string(),
  })
  .openapi('AuditEvent');
export type AuditEvent = z.infer<typeof AuditEventSchema>;

export const AuditListQuerySchema = z.object({
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
  action: SingleLineTextSchema.max(100).optional(),
  actorId: z.uuid().optional(),
  objectType: SingleLineTextSchema.max(100).optional(),
  objectId: SingleLineTextSchema.max(100).optional(),
  outcome: AuditOutcomeSchema.optional(),
  since: TimestampSchema.optional(),
  until: TimestampSchema.optional(),
});

export const AuditVerifyResultSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int(),
    problems: z.array(
      z.object({
        seq: z.string(),
        kind: z.enum(['edited', 'broken-link']).openapi({
          description: 'edited: the row no longer matches its hash; broken-link: its predecessor was deleted or edited',
        }),
      }),
    ),
  })
  .openapi('AuditVerifyResult');
export type AuditVerifyResult = z.infer<typeof AuditVerifyResultSchema>;


export const AuditPageSchema = pageOf(AuditEventSchema, 'AuditPage');

export const auditRoutes = {
  list: defineRoute({
    operationId: 'listAuditEvents',
    method: 'get',
    path: '/audit',
    summary: 'The audit trail, newest first',
    tag: 'audit',
    access: 'audit.view',
    query: AuditListQuerySchema,
    success: { status: 200, schema: AuditPageSchema },
  }),
  verify: defineRoute({
    operationId: 'verifyAuditChain',
    method: 'get',
    path: '/audit/verify',
    summary: 'Check the hash chain; reports edited and deleted rows',
    tag: 'audit',
    access: 'audit.view',
    success: { status: 200, schema: AuditVerifyResultSchema },
  }),
};
