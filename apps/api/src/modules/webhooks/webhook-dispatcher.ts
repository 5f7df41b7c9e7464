import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { WEBHOOK_EVENT_ID_HEADER, WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import { openWebhookSecret } from './webhook-secret.js';
import { signWebhook } from './webhook-signature.js';
import { guardedLookup, refusedUrl, type WebhookUrlPolicy } from './webhook-url.js';
import { webhookUrlOf } from './webhook-url-seal.js';
import type { ClaimedDelivery, WebhooksRepo } from './webhooks.repo.js';

export interface WebhookDispatcherOptions {
  /** Attempts per delivery before it is given up as failed. */
  maxAttempts: number;
  /** The first retry waits this long; each next one twice as long, up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A receiver that has not answered by then counts as failed (the attempt is retried). */
  timeoutMs: number;
  /** How long a claimed delivery is this process's at least; past it, another worker may take it (this one died). */
  leaseMs: number;
  pollIntervalMs: number;
  batch: number;
  /** Only the deliveries of these webhooks (a test's own, among others' in a shared database); unset: all. */
  webhookIds?: readonly string[];
}

/** Eight attempts over about an hour and a half: a receiver's restart or a short outage loses nothing. */
export const DEFAULT_WEBHOOK_DISPATCHER_OPTIONS: WebhookDispatcherOptions = {
  maxAttempts: 8,
  backoffBaseMs: 30_000,
  backoffMaxMs: 30 * 60_000,
  timeoutMs: 10_000,
  leaseMs: 60_000,
  pollIntervalMs: 2_000,
  batch: 20,
};

/** What one attempt found: the answer's status, or why there was none. */
interface AttemptResult {
  statusCode: number | null;
  error: string | null;
}

/** The answer's body is not read beyond this (a receiver has nothing to tell PassMan but its status). */
const MAX_ANSWER_BYTES = 64 * 1024;

function post(url: string, body: string, headers: Record<string, string>, policy: WebhookUrlPolicy, timeoutMs: number): Promise<AttemptResult> {
  return new Promise((resolve) => {
    const refused = refusedUrl(url, policy);
    if (refused) return resolve({ statusCode: null, error: `refused: ${refused}` });
    const send = url.startsWith('https:') ? httpsRequest : httpRequest;
    // No redirects are followed: a 3xx is an answer like any other non-2xx.
    const req = send(url, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body).toString(), ...headers },
      lookup: guardedLookup(policy),
      signal: AbortSignal.timeout(timeoutMs),
    });
    req.on('response', (res) => {
      let read = 0;
      res.on('data', (chunk: Buffer) => {
        read += chunk.length;
        if (read > MAX_ANSWER_BYTES) res.destroy();
      });
      res.on('close', () => resolve({ statusCode: res.statusCode ?? null, error: null }));
      res.on('error', () => undefined);
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      const error = err.name === 'AbortError' || err.name === 'TimeoutError' ? `no answer within ${timeoutMs} ms` : `${err.code ?? err.name}: ${err.message}`;
      resolve({ statusCode: null, error: error.slice(0, 500) });
    });
    req.end(body);
  });
}

/**
 * Sends the webhook outbox: claims due deliveries (several workers never take the same one),
 * POSTs each with its signature, logs the attempt, and either marks it delivered (2xx), retries
 * it later with exponential backoff, or gives it up after the last attempt. A delivery claimed by
 * a process that died is taken again once its lease lapses, so none is lost on a restart — at
 * the price that a receiver may see an event twice (it has an id to recognise it by).
 */
export function createWebhookDispatcher(
  deps: { repo: Pick<WebhooksRepo, 'claim' | 'recordAttempt'>; vault: Vault; logger: Logger; policy: WebhookUrlPolicy },
  options: WebhookDispatcherOptions = DEFAULT_WEBHOOK_DISPATCHER_OPTIONS,
) {
  const backoff = (attempt: number) => Math.min(options.backoffMaxMs, options.backoffBaseMs * 2 ** Math.max(0, attempt - 1));

  async function deliver(d: ClaimedDelivery): Promise<void> {
    const body = JSON.stringify(d.payload);
    const started = performance.now();
    let result: AttemptResult;
    let cannot = 'open its URL';
    try {
      const url = webhookUrlOf(deps.vault, { id: d.webhookId, urlClear: d.urlClear, urlSealed: d.urlSealed });
      cannot = 'sign';
      const secret = openWebhookSecret(deps.vault, d.webhookId, d.secretSealed);
      const timestamp = Math.floor(Date.now() / 1000);
      result = await post(
        url,
        body,
        {
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          [WEBHOOK_EVENT_ID_HEADER]: d.eventId,
        },
        deps.policy,
        options.timeoutMs,
      );
    } catch (err) {
      // A sealed vault, most likely (or a value altered in the database): nothing is sent. Never the
      // error's own message in the delivery log: it could quote the URL.
      result = { statusCode: null, error: err instanceof Error ? `${err.name}: cannot ${cannot}` : `cannot ${cannot}` };
    }
    const durationMs = Math.round(performance.now() - started);
    const at = new Date();
    const ok = result.statusCode !== null && result.statusCode >= 200 && result.statusCode < 300;
    const next = ok
      ? ({ state: 'delivered' } as const)
      : d.attempts >= options.maxAttempts
        ? ({ state: 'failed' } as const)
        : ({ state: 'pending', retryAt: new Date(at.getTime() + backoff(d.attempts)) } as const);
    await deps.repo.recordAttempt({ deliveryId: d.id, webhookId: d.webhookId, attempt: d.attempts, ...result, durationMs, at, next });
    if (next.state === 'failed') deps.logger.warn({ webhookId: d.webhookId, eventId: d.eventId, attempts: d.attempts }, 'webhook delivery given up');
  }

  // A round sends one webhook's deliveries one after the other, so its lease must outlast them all.
  const leaseMs = Math.max(options.leaseMs, options.timeoutMs * options.batch + 5_000);

  /**
   * One round: what is due at `now`, sent; returns how many were attempted. Webhooks are sent to
   * side by side, each one's events in the order they happened (an opening before its
   * resolution); a delivery being retried comes after those that went out meanwhile.
   */
  async function runOnce(now = new Date()): Promise<number> {
    const claimed = await deps.repo.claim(now, options.batch, leaseMs, options.webhookIds);
    const byWebhook = new Map<string, ClaimedDelivery[]>();
    for (const d of claimed) byWebhook.set(d.webhookId, [...(byWebhook.get(d.webhookId) ?? []), d]);
    await Promise.all(
      [...byWebhook.values()].map(async (deliveries) => {
        deliveries.sort((a, b) => a.createdAt.getTime() - b.createdAt.getTime() || (a.id < b.id ? -1 : 1));
        for (const d of deliveries) {
          await deliver(d).catch((err: unknown) => deps.logger.warn({ err, deliveryId: d.id }, 'recording a webhook attempt failed'));
        }
      }),
    );
    return claimed.length;
  }

  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;
  return {
    runOnce,
    start() {
      timer = setInterval(() => {
        running ??= runOnce()
          .catch((err: unknown) => deps.logger.warn({ err }, 'sending webhooks failed; trying again'))
          .finally(() => (running = undefined));
      }, options.pollIntervalMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export type WebhookDispatcher = ReturnType<typeof createWebhookDispatcher>;
