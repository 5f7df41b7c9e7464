import { randomUUID } from 'node:crypto';
import type { CreateWebhookRequest, UpdateWebhookRequest } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { mapConstraintError } from '../../db/transaction.js';
import type { RequestContext } from '../../lib/actor.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeNewestFirst, newestFirstPage } from '../../lib/newest-first.js';
import type { AuditService } from '../audit/index.js';
import { generateWebhookSecret, sealWebhookSecret } from './webhook-secret.js';
import { refusedUrl, type WebhookUrlPolicy } from './webhook-url.js';
import { displayedWebhookUrl, sealWebhookUrl, webhookUrlOf } from './webhook-url-seal.js';
import { presentAttempt, presentWebhook } from './webhooks.presenter.js';
import type { WebhookRow, WebhooksRepo } from './webhooks.repo.js';

const LOG_SCOPE = 'webhook-deliveries';

/** What the audit trail keeps of a webhook: its URL without what may be a credential in it (the stored display form). */
const audited = (row: WebhookRow) => ({
  name: row.name,
  url: displayedWebhookUrl(row),
  rules: row.rules,
  enabled: row.enabled,
});

/**
 * Webhooks, an administrator's (route permission `webhooks.manage`). The secret is generated or
 * taken once, sealed under the master key, and shown only in the creation's answer: never again,
 * never in the audit trail or a log. The URL is sealed too (receivers put tokens in it); the
 * administrators who manage webhooks see it whole, to edit it. Every change is audited, the URL
 * without its path and query.
 */
export function createWebhooksService(deps: { repo: WebhooksRepo; vault: Vault; audit: AuditService; policy: WebhookUrlPolicy }) {
  const { repo, audit } = deps;

  function checkUrl(url: string) {
    const why = refusedUrl(url, deps.policy);
    if (why) throw new AppError('WEBHOOK_URL_REFUSED', `PassMan does not send webhooks there: ${why}`, { errors: [{ path: 'url', message: why }] });
  }

  async function existing(id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound('Webhook');
    return row;
  }

  function requireUnsealed(what: string) {
    if (deps.vault.sealed) throw new AppError('SEALED', `PassMan is sealed: ${what}`);
  }

  /** The whole URL, opened from its seal (or still in clear on a row not sealed yet); null when its seal does not open. */
  function openUrl(row: WebhookRow): string | null {
    if (row.urlSealed !== null) requireUnsealed('a webhook URL cannot be read');
    try {
      return webhookUrlOf(deps.vault, row);
    } catch {
      return null;
    }
  }

  function urlOf(row: WebhookRow): string {
    const url = openUrl(row);
    // Altered or moved in the database. Said without the vault's message or the value.
    if (url === null) throw new AppError('INTERNAL', 'A stored webhook URL does not open under the master key');
    return url;
  }

  const present = (row: WebhookRow) => presentWebhook(row, urlOf(row));

  return {
    // One seal that does not open must not hide the other webhooks (nor itself, which an administrator
    // may need to mend or delete): the list shows it by its display form, never a secret.
    list: async () => ({ items: (await repo.list()).map((row) => presentWebhook(row, openUrl(row) ?? displayedWebhookUrl(row))) }),
    get: async (_ctx: RequestContext, id: string) => present(await existing(id)),

    async create(ctx: RequestContext, input: CreateWebhookRequest) {
      checkUrl(input.url);
      requireUnsealed('a webhook secret cannot be stored');
      const secret = input.secret ?? generateWebhookSecret();
      const id = randomUUID();
      const row = await repo
        .transaction(async (r, tx) => {
          const created = await r.create({
            id,
            name: input.name,
            url: sealWebhookUrl(deps.vault, id, input.url),
            secretSealed: sealWebhookSecret(deps.vault, id, secret),
            rules: [...new Set(input.rules)],
            enabled: input.enabled,
            createdById: ctx.actor?.userId ?? null,
          });
          await audit.record(
            ctx,
            {
              action: 'webhook.create',
              objectType: 'webhook',
              objectId: created.id,
              details: audited(created),
            },
            tx,
          );
          return created;
        })
        .catch((e: unknown) => mapConstraintError(e, `A webhook named "${input.name}"`));
      return { ...presentWebhook(row, input.url), secret };
    },

    async update(ctx: RequestContext, id: string, input: UpdateWebhookRequest) {
      const before = await existing(id);
      const { url, ...fields } = input;
      if (url !== undefined) checkUrl(url);
      // Refused before anything is written: the answer shows the whole URL, which a sealed vault
      // cannot open (and a new URL could not be sealed), so a change committed then would answer 503.
      if (url !== undefined || before.urlSealed !== null) requireUnsealed('a webhook cannot be changed');
      // A seal that does not open counts as another URL: a new one may replace an altered seal.
      const urlChanged = url !== undefined && url !== openUrl(before);
      const row = await repo
        .transaction(async (r, tx) => {
          const after = await r.update(id, {
            ...fields,
            ...(input.rules ? { rules: [...new Set(input.rules)] } : {}),
            // Sealed anew even when unchanged: a row still in clear is sealed by its next edit.
            ...(url !== undefined ? { url: sealWebhookUrl(deps.vault, id, url) } : {}),
          });
          await audit.record(
            ctx,
            {
              action: 'webhook.update',
              objectType: 'webhook',
              objectId: id,
              details: {
                before: audited(before),
                after: audited(after),
                urlChanged,
              },
            },
            tx,
          );
          return after;
        })
        .catch((e: unknown) => mapConstraintError(e, 'The webhook'));
      return present(row);
    },

    async delete(ctx: RequestContext, id: string) {
      await repo.transaction(async (r, tx) => {
        const row = await r.get(id);
        if (!row || !(await r.delete(id))) throw notFound('Webhook');
        await audit.record(
          ctx,
          { action: 'webhook.delete', objectType: 'webhook', objectId: id, details: { name: row.name, url: displayedWebhookUrl(row) } },
          tx,
        );
      });
    },

    async deliveries(_ctx: RequestContext, id: string, query: { limit: number; cursor?: string }) {
      await existing(id);
      const rows = await repo.attempts(id, decodeNewestFirst(LOG_SCOPE, query.cursor), query.limit);
      return newestFirstPage(LOG_SCOPE, rows, query.limit, presentAttempt);
    },

    /** Queues a signed test event to this webhook alone (enabled or not), through the same outbox and retries as any event. */
    async test(ctx: RequestContext, id: string) {
      const row = await existing(id);
      const eventId = randomUUID();
      const [delivery] = await repo.transaction(async (r, tx) => {
        const queued = await r.enqueue(
          [
            {
              eventId,
              type: 'webhook.test',
              rule: null,
              payload: { id: eventId, type: 'webhook.test', createdAt: new Date().toISOString(), webhook: { id: row.id, name: row.name } },
            },
          ],
          { webhookId: id },
        );
        await audit.record(ctx, { action: 'webhook.test', objectType: 'webhook', objectId: id, details: { eventId } }, tx);
        return queued;
      });
      if (!delivery) throw notFound('Webhook');
      return { deliveryId: delivery.id, eventId };
    },
  };
}

export type WebhooksService = ReturnType<typeof createWebhooksService>;
