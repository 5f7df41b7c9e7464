import { randomUUID } from 'node:crypto';
import type { CreateWebhookRequest, UpdateWebhookRequest } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { mapConstraintError } from '../../db/transaction.js';
import type { RequestContext } from '../../lib/actor.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeNewestFirst, newestFirstPage } from '../../lib/newest-first.js';
import type { AuditService } from '../audit/index.js';
import { generateWebhookSecret, sealWebhookSecret } from './webhook-secret.js';
import { auditedWebhookUrl, refusedUrl, type WebhookUrlPolicy } from './webhook-url.js';
import { presentAttempt, presentWebhook } from './webhooks.presenter.js';
import type { WebhooksRepo } from './webhooks.repo.js';

const LOG_SCOPE = 'webhook-deliveries';

/** What the audit trail keeps of a webhook: its URL without what may be a credential in it. */
const audited = (row: { name: string; url: string; rules: string[]; enabled: boolean }) => ({
  name: row.name,
  url: auditedWebhookUrl(row.url),
  rules: row.rules,
  enabled: row.enabled,
});

/**
 * Webhooks, an administrator's (route permission `webhooks.manage`). The secret is generated or
 * taken once, sealed under the master key, and shown only in the creation's answer: never again,
 * never in the audit trail or a log. Every change is audited, the URL without its path and query
 * (where receivers put their tokens).
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

  return {
    list: async () => ({ items: (await repo.list()).map(presentWebhook) }),
    get: async (_ctx: RequestContext, id: string) => presentWebhook(await existing(id)),

    async create(ctx: RequestContext, input: CreateWebhookRequest) {
      checkUrl(input.url);
      if (deps.vault.sealed) throw new AppError('SEALED', 'PassMan is sealed: a webhook secret cannot be stored');
      const secret = input.secret ?? generateWebhookSecret();
      const id = randomUUID();
      const row = await repo
        .transaction(async (r, tx) => {
          const created = await r.create({
            id,
            name: input.name,
            url: input.url,
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
      return { ...presentWebhook(row), secret };
    },

    async update(ctx: RequestContext, id: string, input: UpdateWebhookRequest) {
      const before = await existing(id);
      if (input.url !== undefined) checkUrl(input.url);
      const row = await repo
        .transaction(async (r, tx) => {
          const after = await r.update(id, { ...input, ...(input.rules ? { rules: [...new Set(input.rules)] } : {}) });
          await audit.record(
            ctx,
            {
              action: 'webhook.update',
              objectType: 'webhook',
              objectId: id,
              details: {
                before: audited(before),
                after: audited(after),
                urlChanged: after.url !== before.url,
              },
            },
            tx,
          );
          return after;
        })
        .catch((e: unknown) => mapConstraintError(e, 'The webhook'));
      return presentWebhook(row);
    },

    async delete(ctx: RequestContext, id: string) {
      await repo.transaction(async (r, tx) => {
        const row = await r.get(id);
        if (!row || !(await r.delete(id))) throw notFound('Webhook');
        await audit.record(
          ctx,
          { action: 'webhook.delete', objectType: 'webhook', objectId: id, details: { name: row.name, url: auditedWebhookUrl(row.url) } },
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
