import type { ApprovalAction, ApprovalState } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import type { CreatedKey } from '../../lib/newest-first.js';
import { accountAllowedSql, type TreeScope } from '../access/index.js';

/** A rule as it reaches an object: set on it, or on a folder above it. */
export interface RuleRow {
  action: ApprovalAction;
  maxMinutes: number;
  objectType: 'folder' | 'account';
  objectId: string;
  objectName: string;
}

/** A request with the names the console shows beside it. */
export interface RequestRow {
  id: string;
  accountId: string;
  accountName: string;
  targetId: string;
  targetName: string;
  action: ApprovalAction;
  state: ApprovalState;
  requesterId: string;
  requesterName: string;
  requesterDisplayName: string;
  reason: string;
  requestedMinutes: number;
  maxMinutes: number;
  pendingUntil: Date;
  decidedById: string | null;
  decidedByName: string | null;
  decidedByDisplayName: string | null;
  decidedAt: Date | null;
  comment: string | null;
  windowStartsAt: Date | null;
  windowEndsAt: Date | null;
  usedAt: Date | null;
  createdAt: Date;
}

const REQUEST_SELECT = Prisma.sql`
  SELECT r.id::text AS id, r.account_id::text AS "accountId", a.username AS "accountName", a.target_id::text AS "targetId", t.name AS "targetName",
         r.action::text AS action, r.state::text AS state, r.requester_id::text AS "requesterId", u.username AS "requesterName",
         u.display_name AS "requesterDisplayName", r.reason, r.requested_minutes AS "requestedMinutes", r.max_minutes AS "maxMinutes",
         r.pending_until AS "pendingUntil", r.decided_by_id::text AS "decidedById", d.username AS "decidedByName",
         d.display_name AS "decidedByDisplayName", r.decided_at AS "decidedAt", r.comment, r.window_starts_at AS "windowStartsAt",
         r.window_ends_at AS "windowEndsAt", r.used_at AS "usedAt", r.created_at AS "createdAt"
    FROM approval_requests r
    JOIN accounts a ON a.id = r.account_id
    JOIN targets t ON t.id = a.target_id
    JOIN users u ON u.id = r.requester_id
    LEFT JOIN users d ON d.id = r.decided_by_id`;

/** Who may decide a request in a list: someone else than its requester, who may view and approve its account. */
export function decidableSql(scope: TreeScope, userId: string): Prisma.Sql {
  return Prisma.sql`(r.requester_id <> ${userId}::uuid AND ${accountAllowedSql(scope, 'view', 'a')} AND ${accountAllowedSql(scope, 'approve', 'a')})`;
}

/** What a state change hands back to be audited. */
export interface MovedRequest {
  id: string;
  accountId: string;
  requesterId: string;
  action: ApprovalAction;
  windowEndsAt: Date | null;
}

const MOVED = Prisma.sql`RETURNING id::text AS id, account_id::text AS "accountId", requester_id::text AS "requesterId", action::text AS action, window_ends_at AS "windowEndsAt"`;

function approvalsRepo(db: DbClient) {
  return {
    /** The rules on an account: its own and those of every folder above it. */
    rulesOfAccount: (accountId: string) =>
      db.$queryRaw<RuleRow[]>`
        SELECT r.action::text AS action, r.max_minutes AS "maxMinutes",
               CASE WHEN r.account_id IS NOT NULL THEN 'account' ELSE 'folder' END AS "objectType",
               COALESCE(r.account_id, r.folder_id)::text AS "objectId", COALESCE(ra.username, f.name) AS "objectName"
          FROM approval_rules r
          LEFT JOIN folders f ON f.id = r.folder_id
          LEFT JOIN accounts ra ON ra.id = r.account_id
         WHERE r.account_id = ${accountId}::uuid
            OR r.folder_id = ANY (ARRAY(SELECT c.ancestor_id FROM folder_closure c WHERE c.descendant_id = (SELECT folder_id FROM accounts WHERE id = ${accountId}::uuid)))
         ORDER BY r.action, r.max_minutes`,

    /** The rules on a folder: its own and those of the folders above it. */
    rulesOfFolder: (folderId: string) =>
      db.$queryRaw<RuleRow[]>`
        SELECT r.action::text AS action, r.max_minutes AS "maxMinutes", 'folder' AS "objectType", r.folder_id::text AS "objectId", f.name AS "objectName"
          FROM approval_rules r JOIN folders f ON f.id = r.folder_id
         WHERE r.folder_id = ANY (ARRAY(SELECT c.ancestor_id FROM folder_closure c WHERE c.descendant_id = ${folderId}::uuid))
         ORDER BY r.action, r.max_minutes`,

    /** Those of the accounts that a rule for `action` reaches. */
    underRule: async (accountIds: string[], action: ApprovalAction): Promise<string[]> =>
      (
        await db.$queryRaw<{ id: string }[]>`
          SELECT a.id::text AS id FROM accounts a
           WHERE a.id = ANY (${accountIds}::uuid[])
             AND EXISTS (SELECT 1 FROM approval_rules r WHERE r.action = ${action}::vault_action
                           AND (r.account_id = a.id OR r.folder_id IN (SELECT c.ancestor_id FROM folder_closure c WHERE c.descendant_id = a.folder_id)))`
      ).map((r) => r.id),

    /** Replaces the rules set directly on the object. */
    async replaceRules(object: { type: 'folder' | 'account'; id: string }, rules: { action: ApprovalAction; maxMinutes: number }[]): Promise<void> {
      const where = object.type === 'folder' ? { folderId: object.id } : { accountId: object.id };
      await db.approvalRule.deleteMany({ where });
      if (rules.length > 0) await db.approvalRule.createMany({ data: rules.map((r) => ({ ...where, action: r.action, maxMinutes: r.maxMinutes })) });
    },

    create: async (input: {
      accountId: string;
      action: ApprovalAction;
      requesterId: string;
      reason: string;
      requestedMinutes: number;
      maxMinutes: number;
      pendingUntil: Date;
      at: Date;
    }) =>
      (
        await db.approvalRequest.create({
          data: {
            accountId: input.accountId,
            action: input.action,
            requesterId: input.requesterId,
            reason: input.reason,
            requestedMinutes: input.requestedMinutes,
            maxMinutes: input.maxMinutes,
            pendingUntil: input.pendingUntil,
            createdAt: input.at,
          },
          select: { id: true },
        })
      ).id,

    get: async (id: string): Promise<RequestRow | null> => (await db.$queryRaw<RequestRow[]>`${REQUEST_SELECT} WHERE r.id = ${id}::uuid`)[0] ?? null,

    /**
     * Serialises one requester's requests for one account and action until the transaction ends,
     * so two racing requests cannot both find none waiting and both create one.
     */
    lockRequests: (accountId: string, requesterId: string, action: ApprovalAction) =>
      db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`passman.approval:${accountId}:${requesterId}:${action}`}))`,

    /** The requester's request for this account and action that waits for a decision, if any. */
    pendingOf: async (accountId: string, requesterId: string, action: ApprovalAction, at: Date): Promise<string | null> =>
      (
        await db.approvalRequest.findFirst({
          where: { accountId, requesterId, action, state: 'pending', pendingUntil: { gt: at } },
          select: { id: true },
        })
      )?.id ?? null,

    /** One page, newest first: the user's own requests, or those `scope` may decide. */
    page: (filter: { mine: boolean; userId: string; scope: TreeScope; state?: ApprovalState; after?: CreatedKey; limit: number }) => {
      const terms = [
        filter.mine ? Prisma.sql`r.requester_id = ${filter.userId}::uuid` : decidableSql(filter.scope, filter.userId),
        filter.state ? Prisma.sql`r.state = ${filter.state}::approval_state` : null,
        filter.after ? Prisma.sql`(r.created_at, r.id) < (${filter.after.createdAt}::timestamptz, ${filter.after.id}::uuid)` : null,
      ].filter((t): t is Prisma.Sql => t !== null);
      return db.$queryRaw<RequestRow[]>`${REQUEST_SELECT} WHERE ${Prisma.join(terms, ' AND ')} ORDER BY r.created_at DESC, r.id DESC LIMIT ${filter.limit + 1}`;
    },

    /** How many pending requests `scope` may decide. */
    countDecidable: async (scope: TreeScope, userId: string, at: Date): Promise<number> => {
      const rows = await db.$queryRaw<{ n: number }[]>`
        SELECT count(*)::int AS n FROM approval_requests r JOIN accounts a ON a.id = r.account_id
         WHERE r.state = 'pending' AND r.pending_until > ${at} AND ${decidableSql(scope, userId)}`;
      return rows[0]?.n ?? 0;
    },

    /**
     * pending → approved or denied, in one statement: of two approvers racing, or a decision racing
     * the requester's cancel, exactly one changes the row. Never by the requester (the table's
     * check refuses that too). Null when the request was no longer pending.
     */
    decide: async (
      id: string,
      decision: { approve: boolean; deciderId: string; comment: string | null; at: Date; windowEndsAt: Date | null },
    ): Promise<MovedRequest | null> =>
      (
        await db.$queryRaw<MovedRequest[]>`
          UPDATE approval_requests
             SET state = ${decision.approve ? 'approved' : 'denied'}::approval_state, decided_by_id = ${decision.deciderId}::uuid,
                 decided_at = ${decision.at}, comment = ${decision.comment},
                 window_starts_at = ${decision.approve ? decision.at : null}, window_ends_at = ${decision.windowEndsAt}
           WHERE id = ${id}::uuid AND state = 'pending' AND pending_until > ${decision.at} AND requester_id <> ${decision.deciderId}::uuid
          ${MOVED}`
      )[0] ?? null,

    /** pending or approved (and unused) → cancelled, by its requester only. */
    cancel: async (id: string, requesterId: string, at: Date): Promise<(MovedRequest & { was: ApprovalState }) | null> =>
      (
        await db.$queryRaw<(MovedRequest & { was: ApprovalState })[]>`
          UPDATE approval_requests SET state = 'cancelled'
           WHERE id = ${id}::uuid AND requester_id = ${requesterId}::uuid
             AND ((state = 'pending' AND pending_until > ${at}) OR (state = 'approved' AND window_ends_at > ${at}))
          RETURNING id::text AS id, account_id::text AS "accountId", requester_id::text AS "requesterId", action::text AS action,
                    window_ends_at AS "windowEndsAt", CASE WHEN decided_at IS NULL THEN 'pending' ELSE 'approved' END AS was`
      )[0] ?? null,

    /**
     * approved → used: the oldest open approval of this requester for this account and action,
     * in one statement (a second use finds none). Null when there is none.
     */
    use: async (accountId: string, requesterId: string, action: ApprovalAction, at: Date): Promise<MovedRequest | null> =>
      (
        await db.$queryRaw<MovedRequest[]>`
          UPDATE approval_requests SET state = 'used', used_at = ${at}
           WHERE id = (SELECT id FROM approval_requests
                        WHERE account_id = ${accountId}::uuid AND requester_id = ${requesterId}::uuid AND action = ${action}::vault_action
                          AND state = 'approved' AND window_starts_at <= ${at} AND window_ends_at > ${at}
                        ORDER BY window_ends_at, id LIMIT 1 FOR UPDATE)
             AND state = 'approved' AND window_ends_at > ${at}
          ${MOVED}`
      )[0] ?? null,

    /** Every request undecided past its deadline, or approved past its window unused → expired. */
    expireDue: (at: Date) =>
      db.$queryRaw<(MovedRequest & { was: ApprovalState })[]>`
        UPDATE approval_requests SET state = 'expired'
         WHERE (state = 'pending' AND pending_until <= ${at}) OR (state = 'approved' AND window_ends_at <= ${at})
        RETURNING id::text AS id, account_id::text AS "accountId", requester_id::text AS "requesterId", action::text AS action,
                  window_ends_at AS "windowEndsAt", CASE WHEN decided_at IS NULL THEN 'pending' ELSE 'approved' END AS was`,
  };
}

export const createApprovalsRepo = (db: DbClient) => transactional(db, approvalsRepo);
export type ApprovalsRepo = ReturnType<typeof createApprovalsRepo>;
export type ApprovalsTxRepo = ReturnType<typeof approvalsRepo>;
