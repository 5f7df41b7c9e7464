import { CursorSchema, IdParamsSchema, IdSchema, LimitSchema, NameSchema, TimestampSchema, pageOf } from './common.js';
import { defineRoute } from './route.js';
import { SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

/**
 * Alerts: conditions an operations team must hear about, kept as records. One open alert per rule
 * and object (a failing account has one, not one per run); it is resolved by PassMan itself once
 * the condition no longer holds. Webhooks carry every opening and resolution to other systems.
 */
export const ALERT_RULES = ['rotation_overdue', 'not_in_sync', 'job_unverified', 'checkout_overdue', 'host_key_changed'] as const;
export type AlertRule = (typeof ALERT_RULES)[number];
export const AlertRuleSchema = z.enum(ALERT_RULES).openapi('AlertRule', {
  description:
    'rotation_overdue: a credential its policy rotates has not been changed within the interval plus the grace period (whether or not a job ran); ' +
    'not_in_sync: the account is NotInSync; job_unverified: a reset’s outcome could not be verified; ' +
    'checkout_overdue: checked out past its due time; host_key_changed: the target offered a host key other than the approved one',
});

export const ALERT_STATES = ['open', 'resolved'] as const;
export type AlertState = (typeof ALERT_STATES)[number];
export const AlertStateSchema = z.enum(ALERT_STATES).openapi('AlertState');

/** The events a webhook receives: an alert opened or resolved, and the test event an administrator sends. */
export const WEBHOOK_EVENT_TYPES = ['alert.opened', 'alert.resolved', 'webhook.test'] as const;
export type WebhookEventType = (typeof WEBHOOK_EVENT_TYPES)[number];
export const WebhookEventTypeSchema = z.enum(WEBHOOK_EVENT_TYPES).openapi('WebhookEventType');

/** The headers of a webhook request: the time it was signed (Unix seconds) and the signature `v1=<hex HMAC-SHA256>`. */
export const WEBHOOK_TIMESTAMP_HEADER = 'PassMan-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'PassMan-Signature';
export const WEBHOOK_EVENT_ID_HEADER = 'PassMan-Event-Id';

export const AlertObjectSchema = z
  .object({
    type: z.enum(['account', 'target']),
    id: IdSchema,
    name: z.string().openapi({ description: 'user@target for an account, the target’s name for a target' }),
    targetId: IdSchema,
  })
  .openapi('AlertObject');

export const AlertSchema = z
  .object({
    id: IdSchema,
    rule: AlertRuleSchema,
    state: AlertStateSchema,
    object: AlertObjectSchema,
    summary: z.string(),
    details: z.record(z.string(), z.unknown()).openapi({ description: 'What the rule found, e.g. the reason code, the job, the due time' }),
    openedAt: TimestampSchema,
    lastSeenAt: TimestampSchema.openapi({ description: 'The last time the condition was found to hold' }),
    resolvedAt: TimestampSchema.nullable(),
    read: z.boolean().openapi({ description: 'The caller marked it read' }),
  })
  .openapi('Alert');
export type Alert = z.infer<typeof AlertSchema>;

export const AlertPageSchema = pageOf(AlertSchema, 'AlertPage');
export type AlertPage = z.infer<typeof AlertPageSchema>;

export const AlertListQuerySchema = z.object({
  state: AlertStateSchema.optional(),
  rule: AlertRuleSchema.optional(),
  accountId: IdSchema.optional(),
  targetId: IdSchema.optional(),
  unread: z.enum(['true', 'false']).optional().openapi({ description: 'true: only those the caller has not marked read' }),
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
});
export type AlertListQuery = z.infer<typeof AlertListQuerySchema>;

export const AlertUnreadCountSchema = z
  .object({ count: z.number().int().openapi({ description: 'Open alerts the caller may see and has not marked read' }) })
  .openapi('AlertUnreadCount');
export type AlertUnreadCount = z.infer<typeof AlertUnreadCountSchema>;

export const MarkAlertsReadRequestSchema = z
  .object({ all: z.literal(true).openapi({ description: 'Mark every alert the caller sees as read' }) })
  .strict()
  .openapi('MarkAlertsReadRequest');

const WebhookUrlSchema = SingleLineTextSchema.trim()
  .max(2048)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'http:' || url.protocol === 'https:') && url.username === '' && url.password === '';
    } catch {
      return false;
    }
  }, 'must be an http or https URL without user name or password')
  .openapi({ description: 'Where PassMan POSTs events; http or https', example: 'https://hooks.example.com/passman' });

/** A secret an administrator brings: long enough to sign with, one line. */
const WebhookSecretSchema = SingleLineTextSchema.min(24).max(256);

export const CreateWebhookRequestSchema = z
  .object({
    name: NameSchema,
    url: WebhookUrlSchema,
    secret: WebhookSecretSchema.optional().openapi({ description: 'The signing secret; PassMan generates one when omitted. Shown once, in this response' }),
    rules: z.array(AlertRuleSchema).max(ALERT_RULES.length).default([]).openapi({ description: 'Only alerts of these rules; empty: all' }),
    enabled: z.boolean().default(true),
  })
  .strict()
  .openapi('CreateWebhookRequest', { example: { name: 'On-call', url: 'https://hooks.example.com/passman', rules: [], enabled: true } });
export type CreateWebhookRequest = z.infer<typeof CreateWebhookRequestSchema>;

export const UpdateWebhookRequestSchema = z
  .object({
    name: NameSchema.optional(),
    url: WebhookUrlSchema.optional(),
    rules: z.array(AlertRuleSchema).max(ALERT_RULES.length).optional(),
    enabled: z.boolean().optional(),
  })
  .strict()
  .openapi('UpdateWebhookRequest');
export type UpdateWebhookRequest = z.infer<typeof UpdateWebhookRequestSchema>;

export const WebhookSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    url: z.string(),
    rules: z.array(AlertRuleSchema),
    enabled: z.boolean(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .openapi('Webhook', { description: 'A webhook; its secret is never shown again after creation' });
export type Webhook = z.infer<typeof WebhookSchema>;

export const CreatedWebhookSchema = WebhookSchema.extend({
  secret: z.string().openapi({ description: 'The signing secret, shown only in this response' }),
}).openapi('CreatedWebhook');
export type CreatedWebhook = z.infer<typeof CreatedWebhookSchema>;

export const WebhookListSchema = z.object({ items: z.array(WebhookSchema) }).openapi('WebhookList');

export const WEBHOOK_DELIVERY_STATES = ['pending', 'delivered', 'failed'] as const;
export const WebhookDeliveryStateSchema = z.enum(WEBHOOK_DELIVERY_STATES).openapi('WebhookDeliveryState', {
  description: 'pending (waiting for its next attempt), delivered (answered 2xx), failed (gave up after the last attempt)',
});

export const WebhookAttemptSchema = z
  .object({
    id: IdSchema,
    deliveryId: IdSchema,
    eventId: IdSchema,
    eventType: WebhookEventTypeSchema,
    attempt: z.number().int(),
    statusCode: z.number().int().nullable().openapi({ description: 'The HTTP status answered; null when no answer came' }),
    durationMs: z.number().int(),
    error: z.string().nullable(),
    at: TimestampSchema,
    deliveryState: WebhookDeliveryStateSchema,
  })
  .openapi('WebhookAttempt');
export type WebhookAttempt = z.infer<typeof WebhookAttemptSchema>;
export const WebhookAttemptPageSchema = pageOf(WebhookAttemptSchema, 'WebhookAttemptPage');

export const WebhookTestResultSchema = z
  .object({ deliveryId: IdSchema, eventId: IdSchema })
  .openapi('WebhookTestResult', { description: 'The test event was queued; its attempts show in the delivery log' });

export const alertRoutes = {
  list: defineRoute({
    operationId: 'listAlerts',
    method: 'get',
    path: '/alerts',
    summary: 'Alerts on the accounts and targets the caller may view, newest first',
    tag: 'alerts',
    access: 'accounts.view',
    query: AlertListQuerySchema,
    success: { status: 200, schema: AlertPageSchema },
  }),
  unreadCount: defineRoute({
    operationId: 'countUnreadAlerts',
    method: 'get',
    path: '/alerts/unread-count',
    summary: 'How many open alerts the caller sees and has not read (the notification bell)',
    tag: 'alerts',
    access: 'accounts.view',
    success: { status: 200, schema: AlertUnreadCountSchema },
  }),
  readAll: defineRoute({
    operationId: 'markAllAlertsRead',
    method: 'post',
    path: '/alerts/read',
    summary: 'Mark every alert the caller sees as read (for the caller only)',
    tag: 'alerts',
    access: 'accounts.view',
    body: MarkAlertsReadRequestSchema,
    success: { status: 204 },
  }),
  get: defineRoute({
    operationId: 'getAlert',
    method: 'get',
    path: '/alerts/:id',
    summary: 'One alert',
    tag: 'alerts',
    access: 'accounts.view',
    params: IdParamsSchema,
    success: { status: 200, schema: AlertSchema },
    errors: [404],
  }),
  acknowledge: defineRoute({
    operationId: 'acknowledgeAlert',
    method: 'post',
    path: '/alerts/:id/acknowledge',
    summary: 'Mark one alert read (for the caller only; it stays open until its condition clears)',
    tag: 'alerts',
    access: 'accounts.view',
    params: IdParamsSchema,
    success: { status: 200, schema: AlertSchema },
    errors: [404],
  }),
};

export const webhookRoutes = {
  list: defineRoute({
    operationId: 'listWebhooks',
    method: 'get',
    path: '/webhooks',
    summary: 'Every webhook (never their secrets)',
    tag: 'webhooks',
    access: 'webhooks.manage',
    success: { status: 200, schema: WebhookListSchema },
  }),
  create: defineRoute({
    operationId: 'createWebhook',
    method: 'post',
    path: '/webhooks',
    summary: 'Add a webhook; the response holds its signing secret, shown this once',
    tag: 'webhooks',
    access: 'webhooks.manage',
    body: CreateWebhookRequestSchema,
    success: { status: 201, schema: CreatedWebhookSchema },
    errors: [409],
  }),
  get: defineRoute({
    operationId: 'getWebhook',
    method: 'get',
    path: '/webhooks/:id',
    summary: 'One webhook',
    tag: 'webhooks',
    access: 'webhooks.manage',
    params: IdParamsSchema,
    success: { status: 200, schema: WebhookSchema },
    errors: [404],
  }),
  update: defineRoute({
    operationId: 'updateWebhook',
    method: 'patch',
    path: '/webhooks/:id',
    summary: 'Change a webhook’s name, URL, rules or whether it is enabled',
    tag: 'webhooks',
    access: 'webhooks.manage',
    params: IdParamsSchema,
    body: UpdateWebhookRequestSchema,
    success: { status: 200, schema: WebhookSchema },
    errors: [404],
  }),
  delete: defineRoute({
    operationId: 'deleteWebhook',
    method: 'delete',
    path: '/webhooks/:id',
    summary: 'Remove a webhook with its delivery log',
    tag: 'webhooks',
    access: 'webhooks.manage',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
  deliveries: defineRoute({
    operationId: 'listWebhookDeliveries',
    method: 'get',
    path: '/webhooks/:id/deliveries',
    summary: 'The delivery log: every attempt, newest first (status, duration, error)',
    tag: 'webhooks',
    access: 'webhooks.manage',
    params: IdParamsSchema,
    query: z.object({ limit: LimitSchema, cursor: CursorSchema.optional() }),
    success: { status: 200, schema: WebhookAttemptPageSchema },
    errors: [404],
  }),
  test: defineRoute({
    operationId: 'testWebhook',
    method: 'post',
    path: '/webhooks/:id/test',
    summary: 'Queue a signed test event to the webhook',
    tag: 'webhooks',
    access: 'webhooks.manage',
    params: IdParamsSchema,
    success: { status: 202, schema: WebhookTestResultSchema },
    errors: [404],
  }),
};
