import type { Approval, ApprovalAction, ApprovalRules } from '@passman/contracts';
import type { RequestRow, RuleRow } from './approvals.repo.js';

const iso = (d: Date | null) => d?.toISOString() ?? null;

export function presentApproval(row: RequestRow, mayDecide: boolean): Approval {
  return {
    id: row.id,
    action: row.action,
    state: row.state,
    account: { id: row.accountId, username: row.accountName, targetId: row.targetId, targetName: row.targetName },
    requester: { id: row.requesterId, username: row.requesterName, displayName: row.requesterDisplayName },
    reason: row.reason,
    requestedMinutes: row.requestedMinutes,
    maxMinutes: row.maxMinutes,
    createdAt: row.createdAt.toISOString(),
    pendingUntil: row.pendingUntil.toISOString(),
    decidedBy: row.decidedById ? { id: row.decidedById, username: row.decidedByName ?? '', displayName: row.decidedByDisplayName ?? '' } : null,
    decidedAt: iso(row.decidedAt),
    comment: row.comment,
    windowStartsAt: iso(row.windowStartsAt),
    windowEndsAt: iso(row.windowEndsAt),
    usedAt: iso(row.usedAt),
    mayDecide,
  };
}

/** The rules reaching an object, those set on it marked as its own. */
export function presentRules(rows: RuleRow[], objectId: string): ApprovalRules {
  return {
    rules: rows.map((r) => ({
      action: r.action,
      maxMinutes: r.maxMinutes,
      object: { type: r.objectType, id: r.objectId, name: r.objectName },
      inherited: r.objectId !== objectId,
    })),
  };
}

/** Of several rules reaching an account for one action, the one that allows the shortest window (they all apply). */
export function strictestRule(rows: RuleRow[], action: ApprovalAction): RuleRow | null {
  return rows.filter((r) => r.action === action).sort((a, b) => a.maxMinutes - b.maxMinutes)[0] ?? null;
}
