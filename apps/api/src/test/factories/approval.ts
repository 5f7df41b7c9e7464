import type { ApprovalAction, ApprovalState } from '@passman/contracts';
import type { TestApi } from '../test-api.js';
import { createUser } from './user.js';

/** An approval rule on a folder or an account, written directly (no audit event); replaces one for the same action. */
export async function createApprovalRule(
  api: TestApi,
  object: { type: 'folder' | 'account'; id: string },
  action: ApprovalAction = 'checkout',
  maxMinutes = 60,
) {
  const where = object.type === 'folder' ? { folderId: object.id } : { accountId: object.id };
  await api.db.approvalRule.deleteMany({ where: { ...where, action } });
  return api.db.approvalRule.create({ data: { ...where, action, maxMinutes } });
}

/**
 * A request of `requesterId` (default: a new administrator) for the account, written directly (no
 * audit event): pending unless told, with a window of `minutes` from now when approved.
 */
export async function createApprovalRequest(
  api: TestApi,
  accountId: string,
  options: { requesterId?: string; action?: ApprovalAction; state?: ApprovalState; minutes?: number } = {},
) {
  const requesterId = options.requesterId ?? (await createUser(api, 'admin')).id;
  const minutes = options.minutes ?? 30;
  const now = Date.now();
  const opened = options.state === 'approved' || options.state === 'used';
  return api.db.approvalRequest.create({
    data: {
      accountId,
      requesterId,
      action: options.action ?? 'checkout',
      reason: 'test',
      requestedMinutes: minutes,
      maxMinutes: Math.max(minutes, 60),
      state: options.state ?? 'pending',
      pendingUntil: new Date(now + 3_600_000),
      ...(opened ? { windowStartsAt: new Date(now), windowEndsAt: new Date(now + minutes * 60_000) } : {}),
    },
  });
}
