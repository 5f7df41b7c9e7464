import type { AlertListQuery } from '@passman/contracts';
import type { RequestContext } from '../../lib/actor.js';
import { notFound } from '../../lib/app-error.js';
import { decodeNewestFirst, newestFirstPage } from '../../lib/newest-first.js';
import type { AccessService } from '../access/index.js';
import { presentAlert } from './alerts.presenter.js';
import type { AlertsRepo } from './alerts.repo.js';

const LIST_SCOPE = 'alerts';

/**
 * Alerts as a person reads them: only those on accounts (and targets) the caller may view — the
 * list filters in its one query; one alert out of sight answers 404, as if it did not exist.
 * Reading is per person: marking an alert read changes nothing for anyone else, and an alert stays
 * open until its condition clears (the engine decides that, never a click).
 */
export function createAlertsService(deps: { repo: AlertsRepo; access: AccessService }) {
  const { repo, access } = deps;

  async function visible(ctx: RequestContext, id: string) {
    const actor = ctx.actor!;
    const row = await repo.get(id, access.scopeOf(actor), actor.userId);
    if (!row) throw notFound('Alert');
    return row;
  }

  return {
    async list(ctx: RequestContext, query: AlertListQuery) {
      const actor = ctx.actor!;
      const rows = await repo.page({
        scope: await access.listScopeOf(actor),
        userId: actor.userId,
        state: query.state,
        rule: query.rule,
        accountId: query.accountId,
        targetId: query.targetId,
        unread: query.unread === 'true',
        after: decodeNewestFirst(LIST_SCOPE, query.cursor),
        limit: query.limit,
      });
      return newestFirstPage(
        LIST_SCOPE,
        rows.map((r) => ({ ...r, createdAt: r.openedAt })),
        query.limit,
        presentAlert,
      );
    },

    async unreadCount(ctx: RequestContext) {
      const actor = ctx.actor!;
      return { count: await repo.unreadCount(await access.listScopeOf(actor), actor.userId) };
    },

    get: async (ctx: RequestContext, id: string) => presentAlert(await visible(ctx, id)),

    async acknowledge(ctx: RequestContext, id: string) {
      await visible(ctx, id);
      await repo.markRead(id, ctx.actor!.userId);
      return presentAlert(await visible(ctx, id));
    },

    async readAll(ctx: RequestContext) {
      const actor = ctx.actor!;
      await repo.markAllRead(await access.listScopeOf(actor), actor.userId);
    },
  };
}

export type AlertsService = ReturnType<typeof createAlertsService>;
