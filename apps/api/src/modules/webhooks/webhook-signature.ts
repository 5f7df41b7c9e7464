import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * The signature of a webhook request: HMAC-SHA256 under the webhook's secret over
 * `<timestamp>.<body>`, hex, sent as `v1=<hex>` beside the timestamp (Unix seconds). Signing the
 * timestamp with the body lets a receiver refuse replays of an old request (docs/alerts.md).
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

/** What a receiver does (and what the tests' receiver does): recompute, compare in constant time, check the age. */
export function verifyWebhook(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  options: { now?: Date; toleranceSeconds?: number } = {},
): boolean {
  const timestamp = Number(headers.timestamp);
  if (!headers.signature || !Number.isInteger(timestamp)) return false;
  const nowSeconds = Math.floor((options.now ?? new Date()).getTime() / 1000);
  if (Math.abs(nowSeconds - timestamp) > (options.toleranceSeconds ?? 300)) return false;
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  const given = Buffer.from(headers.signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}
