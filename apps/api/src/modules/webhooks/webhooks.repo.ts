import type { AlertRule } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import type { CreatedKey } from '../../lib/newest-first.js';

/** A webhook's URL as stored when sealed: the seal, and what may be shown without opening it. */
export interface SealedWebhookUrl {
  urlSealed: string;
  urlDisplay: string;
}

/** A webhook as stored, the sealed secret and URL included: never presented as it is. */
export interface WebhookRow {
  id: string;
  name: string;
  /** Only on a row stored before URLs were sealed, until a start seals it (webhook-url-seal.ts). */
  urlClear: string | null;
  urlSealed: string | null;
  urlDisplay: string | null;
  secretSealed: string;
  rules: AlertRule[];
  enabled: boolean;
  createdAt: Date;
  updatedAt: Date;
}

/** One event to go out: to every enabled webhook whose rules take it (`rule` null: to all, e.g. a test). */
export interface OutgoingEvent {
  eventId: string;
  type: string;
  rule: AlertRule | null;
  payload: Record<string, unknown>;
}

/** A delivery claimed for an attempt, with what sending it needs. */
export interface ClaimedDelivery {
  id: string;
  webhookId: string;
  urlClear: string | null;
  urlSealed: string | null;
  secretSealed: string;
  eventId: string;
  eventType: string;
  payload: Record<string, unknown>;
  attempts: number;
  createdAt: Date;
}

export interface AttemptRow {
  id: string;
  deliveryId: string;
  eventId: string;
  eventType: string;
  attempt: number;
  statusCode: number | null;
  durationMs: number;
  error: string | null;
  at: Date;
  deliveryState: string;
  createdAt: Date;
}

const WEBHOOK_SELECT = {
  id: true,
  name: true,
  urlClear: true,
  urlSealed: true,
  urlDisplay: true,
  secretSealed: true,
  rules: true,
  enabled: true,
  createdAt: true,
  updatedAt: true,
} as const;

function webhooksRepo(db: DbClient) {
  return {
    list: () => db.webhook.findMany({ select: WEBHOOK_SELECT, orderBy: [{ name: 'asc' }, { id: 'asc' }] }) as Promise<WebhookRow[]>,
    get: (id: string) => db.webhook.findUnique({ where: { id }, select: WEBHOOK_SELECT }) as Promise<WebhookRow | null>,
    create: (data: {
      id: string;
      name: string;
      url: SealedWebhookUrl;
      secretSealed: string;
      rules: AlertRule[];
      enabled: boolean;
      createdById: string | null;
    }) => {
      const { url, ...rest } = data;
      return db.webhook.create({ data: { ...rest, ...url }, select: WEBHOOK_SELECT }) as Promise<WebhookRow>;
    },
    /** A new URL replaces the clear one too, if the row still had it. */
    update: (id: string, data: { name?: string; url?: SealedWebhookUrl; rules?: AlertRule[]; enabled?: boolean }) => {
      const { url, ...rest } = data;
      return db.webhook.update({ where: { id }, data: { ...rest, ...(url && { ...url, urlClear: null }) }, select: WEBHOOK_SELECT }) as Promise<WebhookRow>;
    },
    delete: async (id: string) => (await db.webhook.deleteMany({ where: { id } })).count > 0,

    /** Up to `limit` webhooks after `afterId`, in id order, with their sealed secret (the rewrap decides which need it). */
    sealedSecrets: (afterId: string | null, limit: number) =>
      db.$queryRaw<{ id: string; secretSealed: string }[]>`
        SELECT id::text AS id, secret_sealed AS "secretSealed" FROM webhooks
         ${afterId ? Prisma.sql`WHERE id > ${afterId}::uuid` : Prisma.empty}
         ORDER BY id
         LIMIT ${limit}`,
    /** Stores a re-wrapped secret only if the row still holds `expected`; false when it changed or was deleted meanwhile. */
    replaceSealedSecret: async (id: string, expected: string, secretSealed: string) =>
      (await db.webhook.updateMany({ where: { id, secretSealed: expected }, data: { secretSealed } })).count === 1,

    /** Up to `limit` webhooks after `afterId`, in id order, whose URL is sealed, with it (the rewrap decides which need it). */
    sealedUrls: (afterId: string | null, limit: number) =>
      db.$queryRaw<{ id: string; urlSealed: string }[]>`
        SELECT id::text AS id, url_sealed AS "urlSealed" FROM webhooks
         WHERE url_sealed IS NOT NULL ${afterId ? Prisma.sql`AND id > ${afterId}::uuid` : Prisma.empty}
         ORDER BY id
         LIMIT ${limit}`,
    /** Stores a re-wrapped URL only if the row still holds `expected`; false when it changed or was deleted meanwhile. */
    replaceSealedUrl: async (id: string, expected: string, urlSealed: string) =>
      (await db.$executeRaw`UPDATE webhooks SET url_sealed = ${urlSealed} WHERE id = ${id}::uuid AND url_sealed = ${expected}`) === 1,

    /** Up to `limit` webhooks after `afterId`, in id order, whose URL is still stored in clear. */
    clearUrls: (afterId: string | null, limit: number) =>
      db.$queryRaw<{ id: string; urlClear: string }[]>`
        SELECT id::text AS id, url AS "urlClear" FROM webhooks
         WHERE url IS NOT NULL
           ${afterId ? Prisma.sql`AND id > ${afterId}::uuid` : Prisma.empty}
         ORDER BY id
         LIMIT ${limit}`,
    /**
     * Replaces a clear URL by its seal only if the row still holds `expected` in clear (compare and
     * swap): of processes sealing at once, one wins per row. `updated_at` stays: nobody changed the webhook.
     */
    sealClearUrl: async (id: string, expected: string, sealed: SealedWebhookUrl) =>
      (await db.$executeRaw`
        UPDATE webhooks SET url = NULL, url_sealed = ${sealed.urlSealed}, url_display = ${sealed.urlDisplay}
         WHERE id = ${id}::uuid AND url = ${expected} AND url_sealed IS NULL`) === 1,

    /**
     * The outbox: a delivery per event and webhook that takes it, written in the caller's
     * transaction, so an event is delivered if and only if what made it was committed. Stamped
     * with the statement's clock, not the transaction's start: an alert's resolution, written
     * after its opening was committed, is then always the later one, even by a transaction that
     * began first.
     */
    enqueue: async (events: OutgoingEvent[], only?: { webhookId: string }): Promise<{ id: string; eventId: string }[]> => {
      if (events.length === 0) return [];
      return db.$queryRaw<{ id: string; eventId: string }[]>`
        INSERT INTO webhook_deliveries (id, webhook_id, event_id, event_type, payload, created_at, next_attempt_at)
        SELECT gen_random_uuid(), w.id, e.event_id, e.type, e.payload, clock_timestamp(), clock_timestamp()
          FROM jsonb_to_recordset(${JSON.stringify(
            events.map((e) => ({ event_id: e.eventId, type: e.type, rule: e.rule, payload: e.payload })),
          )}::jsonb) AS e(event_id uuid, type text, rule text, payload jsonb)
          JOIN webhooks w ON ${only ? Prisma.sql`w.id = ${only.webhookId}::uuid` : Prisma.sql`w.enabled`}
         WHERE e.rule IS NULL OR coalesce(cardinality(w.rules), 0) = 0 OR e.rule::alert_rule = ANY (w.rules)
        RETURNING id::text AS id, event_id::text AS "eventId"`;
    },

    /** Takes up to `limit` due deliveries for `leaseMs` (another worker skips them meanwhile; a crashed one's lapse). */
    claim: (now: Date, limit: number, leaseMs: number, webhookIds?: readonly string[]) =>
      db.$queryRaw<ClaimedDelivery[]>`
        WITH due AS (
          SELECT id FROM webhook_deliveries
           WHERE state = 'pending' AND next_attempt_at <= ${now} AND (locked_until IS NULL OR locked_until < ${now})
             ${webhookIds ? Prisma.sql`AND webhook_id = ANY (${webhookIds}::uuid[])` : Prisma.empty}
           ORDER BY next_attempt_at, created_at, id
           LIMIT ${limit}
             FOR UPDATE SKIP LOCKED)
        UPDATE webhook_deliveries d SET locked_until = ${now}::timestamptz + ${leaseMs} * interval '1 millisecond', attempts = d.attempts + 1, updated_at = ${now}
          FROM due, webhooks w
         WHERE d.id = due.id AND w.id = d.webhook_id
        RETURNING d.id::text AS id, d.webhook_id::text AS "webhookId", w.url AS "urlClear", w.url_sealed AS "urlSealed", w.secret_sealed AS "secretSealed", d.event_id::text AS "eventId",
                  d.event_type AS "eventType", d.payload, d.attempts, d.created_at AS "createdAt"`,

    /** Logs an attempt and moves its delivery on: delivered, failed for good, or due again at `retryAt`. */
    recordAttempt: async (a: {
      deliveryId: string;
      webhookId: string;
      attempt: number;
      statusCode: number | null;
      durationMs: number;
      error: string | null;
      at: Date;
      next: { state: 'delivered' | 'failed' } | { state: 'pending'; retryAt: Date };
    }) => {
      await db.$executeRaw`
        INSERT INTO webhook_attempts (id, delivery_id, webhook_id, attempt, status_code, duration_ms, error, at)
        VALUES (gen_random_uuid(), ${a.deliveryId}::uuid, ${a.webhookId}::uuid, ${a.attempt}, ${a.statusCode}, ${a.durationMs}, ${a.error}, ${a.at})`;
      await db.$executeRaw`
        UPDATE webhook_deliveries SET state = ${a.next.state}::webhook_delivery_state, locked_until = NULL, updated_at = ${a.at},
               next_attempt_at = ${a.next.state === 'pending' ? a.next.retryAt : a.at}
         WHERE id = ${a.deliveryId}::uuid`;
    },

    attempts: (webhookId: string, after: CreatedKey | undefined, limit: number) =>
      db.$queryRaw<AttemptRow[]>`
        SELECT x.id::text AS id, x.delivery_id::text AS "deliveryId", d.event_id::text AS "eventId", d.event_type AS "eventType",
               x.attempt, x.status_code AS "statusCode", x.duration_ms AS "durationMs", x.error, x.at, d.state::text AS "deliveryState",
               x.at AS "createdAt"
          FROM webhook_attempts x JOIN webhook_deliveries d ON d.id = x.delivery_id
         WHERE x.webhook_id = ${webhookId}::uuid
           ${after ? Prisma.sql`AND (x.at, x.id) < (${after.createdAt}, ${after.id}::uuid)` : Prisma.empty}
         ORDER BY x.at DESC, x.id DESC
         LIMIT ${limit + 1}`,
  };
}

export const createWebhooksRepo = (db: DbClient) => transactional(db, webhooksRepo);
export type WebhooksRepo = ReturnType<typeof createWebhooksRepo>;
