import {
  APPROVAL_REQUIRED,
  type ApprovalAction,
  type ApprovalListQuery,
  type ApprovalRequired,
  type CreateApprovalRequest,
  type DecideApprovalRequest,
  type SetApprovalRulesRequest,
  type VaultAction,
} from '@passman/contracts';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../lib/actor.js';
import { systemContext } from '../../lib/actor.js';
import { AppError, notFound } from '../../lib/app-error.js';
import { decodeNewestFirst, newestFirstPage } from '../../lib/newest-first.js';
import type { AccessService } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { presentApproval, presentRules, strictestRule } from './approvals.presenter.js';
import type { ApprovalsRepo, MovedRequest } from './approvals.repo.js';

/** How long a request waits for a decision before it expires, unless configured (PASSMAN_APPROVAL_PENDING_HOURS). */
export const DEFAULT_PENDING_HOURS = 24;

const LIST_SCOPE = 'approvals';

/**
 * Approvals (dual control). A rule on a folder or an account makes a checkout or a reset there
 * need an approved request of the same person for that account and action; the action consumes
 * it in its own transaction (`consume`), so it allows exactly one. An approval is on top of the
 * right for the action, never instead of it: requesting, and using, both need that right.
 *
 * Nobody decides their own request — not as an administrator, not through a group — and an
 * approver needs `approve` (and view) on the account. Each state change is one UPDATE guarded by
 * the state it leaves, so racing decisions, or a decision racing a cancel, end with one winner.
 */
export function createApprovalsService(deps: { repo: ApprovalsRepo; access: AccessService; audit: AuditService; pendingHours?: number; now?: () => Date }) {
  const now = deps.now ?? (() => new Date());
  const pendingMs = (deps.pendingHours ?? DEFAULT_PENDING_HOURS) * 3_600_000;
  const { repo, access, audit } = deps;

  /**
   * Moves what is due to `expired`, each audited as PassMan's own act. Run before reading or
   * changing requests, so nobody sees or decides one whose time has passed.
   */
  async function expireDue(ctx: RequestContext): Promise<void> {
    await repo.transaction(async (r, tx) => {
      const expired = await r.expireDue(now());
      await audit.recordMany(
        expired.map((e) => ({
          ctx: systemContext(ctx.requestId),
          event: {
            action: 'approval.expire',
            objectType: 'approval',
            objectId: e.id,
            details: { accountId: e.accountId, requesterId: e.requesterId, action: e.action, before: { state: e.was }, after: { state: 'expired' } },
          },
        })),
        tx,
      );
    });
  }

  /** The request as the caller may see it: their own, or one they may decide; 404 otherwise (as if it did not exist). */
  async function visible(ctx: RequestContext, id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound('Approval request');
    if (row.requesterId === ctx.actor?.userId) return { row, decide: false };
    const rights: readonly VaultAction[] = await access
      .rightsOn(ctx.actor, { type: 'account', id: row.accountId })
      .then((r) => r.rights)
      .catch((e: unknown): VaultAction[] => {
        if (e instanceof AppError && e.code === 'NOT_FOUND') return [];
        throw e;
      });
    if (!rights.includes('view') || !rights.includes('approve')) throw notFound('Approval request');
    return { row, decide: row.state === 'pending' };
  }

  async function presentOne(ctx: RequestContext, id: string) {
    const { row, decide } = await visible(ctx, id);
    return presentApproval(row, decide && row.requesterId !== ctx.actor?.userId);
  }

  async function decide(ctx: RequestContext, id: string, approve: boolean, input: DecideApprovalRequest) {
    const actor = ctx.actor!;
    await expireDue(ctx);
    const row = await repo.get(id);
    if (!row) throw notFound('Approval request');
    if (row.requesterId === actor.userId) {
      throw new AppError('APPROVAL_OWN_REQUEST', 'Nobody may decide their own request: another approver must', { details: { approvalId: id } });
    }
    // Seeing the account and approving on it: 404 for an account the caller may not see (the request, too, stays hidden).
    await access.require(ctx, { type: 'account', id: row.accountId }, 'approve').catch((e: unknown) => {
      if (e instanceof AppError && e.code === 'NOT_FOUND') throw notFound('Approval request');
      throw e;
    });
    if (approve && input.minutes !== undefined && input.minutes > row.requestedMinutes) {
      throw new AppError('VALIDATION_FAILED', `The window may be at most the ${row.requestedMinutes} minutes requested`, {
        errors: [{ path: 'minutes', message: `must be at most ${row.requestedMinutes}` }],
      });
    }
    const minutes = Math.min(input.minutes ?? row.requestedMinutes, row.maxMinutes);
    await repo.transaction(async (r, tx) => {
      const at = now();
      const moved = await r.decide(id, {
        approve,
        deciderId: actor.userId,
        comment: input.comment ?? null,
        at,
        windowEndsAt: approve ? new Date(at.getTime() + minutes * 60_000) : null,
      });
      if (!moved) {
        const current = await r.get(id);
        throw new AppError('CONFLICT', `The request is no longer pending (it is ${current?.state ?? 'gone'})`, { details: { state: current?.state ?? null } });
      }
      await audit.record(
        ctx,
        {
          action: approve ? 'approval.approve' : 'approval.deny',
          objectType: 'approval',
          objectId: id,
          details: {
            accountId: moved.accountId,
            requesterId: moved.requesterId,
            action: moved.action,
            before: { state: 'pending' },
            after: { state: approve ? 'approved' : 'denied', ...(approve ? { minutes, windowEndsAt: moved.windowEndsAt?.toISOString() } : {}) },
            ...(input.comment ? { comment: input.comment } : {}),
          },
        },
        tx,
      );
    });
    return presentApproval((await repo.get(id))!, false);
  }

  /** The strictest rule for `action` that reaches the account, or null when it needs no approval. */
  async function ruleFor(r: Pick<ApprovalsRepo, 'rulesOfAccount'>, accountId: string, action: ApprovalAction) {
    return strictestRule(await r.rulesOfAccount(accountId), action);
  }

  return {
    async rules(ctx: RequestContext, object: { type: 'folder' | 'account'; id: string }) {
      await access.require(ctx, object, 'view');
      const rows = object.type === 'account' ? await repo.rulesOfAccount(object.id) : await repo.rulesOfFolder(object.id);
      return presentRules(rows, object.id);
    },

    /**
     * Replaces the rules set on the object (needs manage_permissions on it). Adding or tightening
     * a rule may be done by anyone with that right; removing or loosening one by an administrator
     * only: otherwise whoever manages a folder's permissions could lift the control on themselves.
     */
    async setRules(ctx: RequestContext, object: { type: 'folder' | 'account'; id: string }, input: SetApprovalRulesRequest) {
      await access.require(ctx, object, 'manage_permissions');
      return repo.transaction(async (r, tx) => {
        const all = object.type === 'account' ? await r.rulesOfAccount(object.id) : await r.rulesOfFolder(object.id);
        const own = all.filter((rule) => rule.objectId === object.id).map(({ action, maxMinutes }) => ({ action, maxMinutes }));
        const after = [...input.rules].sort((a, b) => a.action.localeCompare(b.action));
        const loosened = own.filter((o) => {
          const next = after.find((a) => a.action === o.action);
          return !next || next.maxMinutes > o.maxMinutes;
        });
        if (loosened.length > 0 && ctx.actor && ctx.actor.role !== 'admin') {
          throw new AppError('FORBIDDEN', 'Removing an approval rule, or allowing longer windows, needs an administrator', {
            details: { loosened: loosened.map((l) => l.action) },
          });
        }
        if (JSON.stringify(own) !== JSON.stringify(after)) {
          await r.replaceRules(object, after);
          await audit.record(
            ctx,
            { action: 'approval.rules.set', objectType: object.type, objectId: object.id, details: { before: { rules: own }, after: { rules: after } } },
            tx,
          );
        }
        const rows = object.type === 'account' ? await r.rulesOfAccount(object.id) : await r.rulesOfFolder(object.id);
        return presentRules(rows, object.id);
      });
    },

    async request(ctx: RequestContext, input: CreateApprovalRequest) {
      const actor = ctx.actor!;
      // The right for the action itself first: an approval never stands in for it.
      await access.require(ctx, { type: 'account', id: input.accountId }, input.action);
      await expireDue(ctx);
      const id = await repo.transaction(async (r, tx) => {
        await r.lockRequests(input.accountId, actor.userId, input.action);
        const rule = await ruleFor(r, input.accountId, input.action);
        if (!rule) throw new AppError('CONFLICT', `A ${input.action} of this account needs no approval`);
        if (input.minutes > rule.maxMinutes) {
          throw new AppError('VALIDATION_FAILED', `An approval here lasts at most ${rule.maxMinutes} minutes`, {
            errors: [{ path: 'minutes', message: `must be at most ${rule.maxMinutes}` }],
          });
        }
        const at = now();
        const waiting = await r.pendingOf(input.accountId, actor.userId, input.action, at);
        if (waiting) throw new AppError('CONFLICT', 'You already have a request for this waiting for a decision', { details: { approvalId: waiting } });
        const created = await r.create({
          accountId: input.accountId,
          action: input.action,
          requesterId: actor.userId,
          reason: input.reason,
          requestedMinutes: input.minutes,
          maxMinutes: rule.maxMinutes,
          pendingUntil: new Date(at.getTime() + pendingMs),
          at,
        });
        await audit.record(
          ctx,
          {
            action: 'approval.request',
            objectType: 'approval',
            objectId: created,
            details: { accountId: input.accountId, action: input.action, reason: input.reason, minutes: input.minutes, after: { state: 'pending' } },
          },
          tx,
        );
        return created;
      });
      return presentApproval((await repo.get(id))!, false);
    },

    async list(ctx: RequestContext, query: ApprovalListQuery) {
      const actor = ctx.actor!;
      await expireDue(ctx);
      const mine = query.view === 'mine';
      // A narrow token, or a role without the permission, decides nothing, so has nothing to approve.
      if (!mine && !actor.permissions.has('approvals.approve')) return { items: [], nextCursor: null };
      const rows = await repo.page({
        mine,
        userId: actor.userId,
        scope: access.scopeOf(actor),
        state: query.state,
        after: decodeNewestFirst(LIST_SCOPE, query.cursor),
        limit: query.limit,
      });
      return newestFirstPage(LIST_SCOPE, rows, query.limit, (row) => presentApproval(row, !mine && row.state === 'pending'));
    },

    async waitingCount(ctx: RequestContext) {
      const actor = ctx.actor!;
      if (!actor.permissions.has('approvals.approve')) return { count: 0 };
      await expireDue(ctx);
      return { count: await repo.countDecidable(access.scopeOf(actor), actor.userId, now()) };
    },

    async get(ctx: RequestContext, id: string) {
      await expireDue(ctx);
      return presentOne(ctx, id);
    },

    approve: (ctx: RequestContext, id: string, input: DecideApprovalRequest) => decide(ctx, id, true, input),
    deny: (ctx: RequestContext, id: string, input: DecideApprovalRequest) => decide(ctx, id, false, input),

    async cancel(ctx: RequestContext, id: string) {
      const actor = ctx.actor!;
      await expireDue(ctx);
      const row = await repo.get(id);
      if (!row || row.requesterId !== actor.userId) throw notFound('Approval request');
      await repo.transaction(async (r, tx) => {
        const moved = await r.cancel(id, actor.userId, now());
        if (!moved) {
          const current = await r.get(id);
          throw new AppError('CONFLICT', `The request can no longer be cancelled (it is ${current?.state ?? 'gone'})`, {
            details: { state: current?.state ?? null },
          });
        }
        await audit.record(
          ctx,
          {
            action: 'approval.cancel',
            objectType: 'approval',
            objectId: id,
            details: { accountId: moved.accountId, action: moved.action, before: { state: moved.was }, after: { state: 'cancelled' } },
          },
          tx,
        );
      });
      return presentApproval((await repo.get(id))!, false);
    },

    /**
     * For a checkout or a user's reset, inside its transaction after the account row is locked:
     * nothing when no rule reaches the account; else marks the caller's open approval for it used
     * (rolled back with the action if the action fails) and returns it, or throws
     * APPROVAL_REQUIRED with what a console needs to ask for one. Call `recordUse` with the result
     * at the end of the transaction (the audit chain's lock comes last: db/transaction.ts).
     */
    async consume(tx: Tx, ctx: RequestContext, accountId: string, action: ApprovalAction): Promise<MovedRequest | null> {
      const actor = ctx.actor;
      // PassMan itself (scheduled jobs, AutoReset after check-in) is never asked.
      if (!actor) return null;
      const r = repo.within(tx);
      const rule = await ruleFor(r, accountId, action);
      if (!rule) return null;
      const at = now();
      const used = await r.use(accountId, actor.userId, action, at);
      if (used) return used;
      const details: ApprovalRequired = {
        accountId,
        action,
        maxMinutes: rule.maxMinutes,
        pendingRequestId: await r.pendingOf(accountId, actor.userId, action, at),
      };
      throw new AppError(APPROVAL_REQUIRED, `A ${action} of this account needs an approval: request one, and another person must approve it`, { details });
    },

    /** The audit event of an approval `consume` used (nothing when it used none). */
    async recordUse(tx: Tx, ctx: RequestContext, used: MovedRequest | null): Promise<void> {
      if (!used) return;
      await audit.record(
        ctx,
        {
          action: 'approval.use',
          objectType: 'approval',
          objectId: used.id,
          details: { accountId: used.accountId, action: used.action, before: { state: 'approved' }, after: { state: 'used' } },
        },
        tx,
      );
    },

    /** For bulk requests: which of the accounts need an approval for `action` (a bulk request cannot carry one per account). */
    needingApproval: async (accountIds: string[], action: ApprovalAction): Promise<Set<string>> => new Set(await repo.underRule(accountIds, action)),

    expireDue,
  };
}

export type ApprovalsService = ReturnType<typeof createApprovalsService>;
