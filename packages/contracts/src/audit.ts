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

export const AuditProblemKindSchema = z
  .enum([
    'edited',
    'broken-link',
    'unkeyed-after-keyed',
    'head-missing',
    'head-forged',
    'head-rebuilt',
    'head-mismatch',
    'checkpoint-forged',
    'checkpoint-mismatch',
  ])
  .openapi('AuditProblemKind', {
    description:
      'edited: the row does not match its hash/MAC (changed, or forged without the key); broken-link: its predecessor was deleted, inserted or edited; ' +
      'unkeyed-after-keyed: a row hashed without the key after keyed ones (forged); head-missing / head-forged: the head was deleted / is not signed with the key; head-rebuilt: PassMan found the head deleted and started a new one; ' +
      'head-mismatch / checkpoint-mismatch: the rows no longer match the head or a checkpoint (newest events deleted, trail truncated, head rolled back); ' +
      'checkpoint-forged: a checkpoint is not signed with the key',
  });

const AuditChainPointSchema = z
  .object({
    seq: z.string().openapi({ description: 'seq of the newest event it covers ("0": none)' }),
    count: z.number().int().openapi({ description: 'How many events the chain held up to it' }),
    hash: z.string(),
    at: TimestampSchema,
  })
  .openapi('AuditChainPoint');

export const AuditVerifyResultSchema = z
  .object({
    ok: z.boolean(),
    checked: z.number().int().openapi({ description: 'Events walked' }),
    firstBrokenSeq: z.string().nullable().openapi({
      description: 'The first row that fails verification, or where rows are missing, the first seq after the last one that holds; null when no row is broken',
    }),
    head: AuditChainPointSchema.nullable().openapi({ description: 'The signed head the rows were compared with' }),
    checkpoint: AuditChainPointSchema.nullable().openapi({ description: 'The newest signed checkpoint the rows were compared with' }),
    checkpointsChecked: z.number().int(),
    problems: z.array(
      z.object({
        seq: z.string().openapi({ description: 'The row concerned; for head and checkpoint problems, the seq they name' }),
        kind: AuditProblemKindSchema,
        detail: z.string(),
      }),
    ),
  })
  .openapi('AuditVerifyResult');
export type AuditVerifyResult = z.infer<typeof AuditVerifyResultSchema>;

export const AuditPageSchema = pageOf(AuditEventSchema, 'AuditPage');

export const AuditStreamDestinationSchema = z
  .object({
    name: z.string().openapi({ description: 'The destination: syslog or json' }),
    kind: z.enum(['syslog', 'json']),
    target: z.string().openapi({ description: 'Where it goes: the syslog URL, a file path, or stdout (never a secret)' }),
    started: z.boolean().openapi({ description: 'False until a worker has started sending to it' }),
    backlog: z.number().int().nullable().openapi({ description: 'Events not yet delivered; null before it started' }),
    deliveredSeq: z.string().nullable().openapi({ description: 'The last event delivered ("0": none yet)' }),
    deliveredAt: TimestampSchema.nullable(),
    failures: z.number().int().openapi({ description: 'Failed tries in a row; 0 while it delivers' }),
    lastError: z.string().nullable().openapi({ description: 'Why the last try failed, while it fails' }),
  })
  .openapi('AuditStreamDestination');
export type AuditStreamDestination = z.infer<typeof AuditStreamDestinationSchema>;

export const AuditStreamStatusSchema = z
  .object({ destinations: z.array(AuditStreamDestinationSchema).openapi({ description: 'Empty when streaming is not configured' }) })
  .openapi('AuditStreamStatus');
export type AuditStreamStatus = z.infer<typeof AuditStreamStatusSchema>;

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
    summary: 'Check the keyed hash chain against its signed head and checkpoints; reports edited, deleted, truncated and forged rows',
    tag: 'audit',
    access: 'audit.view',
    success: { status: 200, schema: AuditVerifyResultSchema },
    errors: [503],
  }),
  stream: defineRoute({
    operationId: 'getAuditStreamStatus',
    method: 'get',
    path: '/audit/stream',
    summary: 'Where the audit trail is streamed (syslog, JSON lines) and how far delivery has got',
    tag: 'audit',
    access: 'audit.view',
    success: { status: 200, schema: AuditStreamStatusSchema },
  }),
};
