import type { Webhook, WebhookAttempt } from '@passman/contracts';
import type { AttemptRow, WebhookRow } from './webhooks.repo.js';

/** A webhook as the API shows it, with its URL opened: never its secret, sealed or not. */
export function presentWebhook(row: WebhookRow, url: string): Webhook {
  return {
    id: row.id,
    name: row.name,
    url,
    rules: row.rules,
    enabled: row.enabled,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentAttempt(row: AttemptRow): WebhookAttempt {
  return {
    id: row.id,
    deliveryId: row.deliveryId,
    eventId: row.eventId,
    eventType: row.eventType as WebhookAttempt['eventType'],
    attempt: row.attempt,
    statusCode: row.statusCode,
    durationMs: row.durationMs,
    error: row.error,
    at: row.at.toISOString(),
    deliveryState: row.deliveryState as WebhookAttempt['deliveryState'],
  };
}
