import { CursorSchema, IdParamsSchema, IdSchema, LimitSchema, TimestampSchema, pageOf } from './common.js';
import { defineRoute } from './route.js';
import { MultiLineTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

/**
 * Approvals (dual control): a rule on a folder (for everything below it) or on an account says
 * that a checkout or a reset there needs a second person's approval first. The requester states a
 * reason and a duration; an approver (right `approve` on the account, never the requester) grants
 * a window in which exactly one such action of that requester on that account is allowed.
 */
export const APPROVAL_ACTIONS = ['checkout', 'reset'] as const;
export type ApprovalAction = (typeof APPROVAL_ACTIONS)[number];
export const ApprovalActionSchema = z.enum(APPROVAL_ACTIONS).openapi('ApprovalAction');

export const APPROVAL_STATES = ['pending', 'approved', 'denied', 'expired', 'used', 'cancelled'] as const;
export type ApprovalState = (typeof APPROVAL_STATES)[number];
export const ApprovalStateSchema = z.enum(APPROVAL_STATES).openapi('ApprovalState', {
  description:
    'pending (waiting for a decision), approved (its window is open), denied, expired (undecided too long, or its window ended unused), ' +
    'used (the one checkout or reset it allowed happened), cancelled (by the requester)',
});

/** The longest window a rule may let an approver grant: a week. */
export const MAX_APPROVAL_MINUTES = 7 * 24 * 60;
const MinutesSchema = z.number().int().min(1).max(MAX_APPROVAL_MINUTES);

/** The problem code of a checkout or reset that needs an approval the caller does not hold (HTTP 403). */
export const APPROVAL_REQUIRED = 'APPROVAL_REQUIRED';

/** What an APPROVAL_REQUIRED problem carries, so a console can open the request dialog. */
export const ApprovalRequiredSchema = z
  .object({
    accountId: IdSchema,
    action: ApprovalActionSchema,
    maxMinutes: z.number().int().openapi({ description: 'The longest window an approver may grant here' }),
    pendingRequestId: IdSchema.nullable().openapi({ description: 'The caller’s request for this already waiting for a decision, if any' }),
  })
  .openapi('ApprovalRequired');
export type ApprovalRequired = z.infer<typeof ApprovalRequiredSchema>;

export const ApprovalRuleSchema = z
  .object({
    action: ApprovalActionSchema,
    maxMinutes: z.number().int(),
    object: z.object({ type: z.enum(['folder', 'account']), id: IdSchema, name: z.string() }),
    inherited: z.boolean().openapi({ description: 'Set on a folder above this object, not on it' }),
  })
  .openapi('ApprovalRule');
export type ApprovalRule = z.infer<typeof ApprovalRuleSchema>;

export const ApprovalRulesSchema = z
  .object({
    rules: z.array(ApprovalRuleSchema).openapi({ description: 'The rules set on this object and those inherited from the folders above it' }),
  })
  .openapi('ApprovalRules');
export type ApprovalRules = z.infer<typeof ApprovalRulesSchema>;

export const SetApprovalRulesRequestSchema = z
  .object({
    rules: z
      .array(z.object({ action: ApprovalActionSchema, maxMinutes: MinutesSchema }).strict())
      .max(APPROVAL_ACTIONS.length)
      .refine((rules) => new Set(rules.map((r) => r.action)).size === rules.length, 'one rule per action'),
  })
  .strict()
  .openapi('SetApprovalRulesRequest', { description: 'The complete set of rules set directly on the object: actions not listed need no approval here' });
export type SetApprovalRulesRequest = z.infer<typeof SetApprovalRulesRequestSchema>;

export const CreateApprovalRequestSchema = z
  .object({
    accountId: IdSchema,
    action: ApprovalActionSchema,
    reason: SingleLineTextSchema.trim().min(1).max(500),
    minutes: MinutesSchema.openapi({ description: 'How long the window should stay open once approved (at most the rule’s maximum)' }),
  })
  .strict()
  .openapi('CreateApprovalRequest', {
    example: { accountId: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c', action: 'checkout', reason: 'Incident 4711', minutes: 60 },
  });
export type CreateApprovalRequest = z.infer<typeof CreateApprovalRequestSchema>;

export const DecideApprovalRequestSchema = z
  .object({
    comment: MultiLineTextSchema.trim().max(1000).optional(),
    minutes: MinutesSchema.optional().openapi({ description: 'Approve only: a shorter window than requested' }),
  })
  .strict()
  .openapi('DecideApprovalRequest');
export type DecideApprovalRequest = z.infer<typeof DecideApprovalRequestSchema>;

const PersonSchema = z.object({ id: IdSchema, username: z.string(), displayName: z.string() });

export const ApprovalSchema = z
  .object({
    id: IdSchema,
    action: ApprovalActionSchema,
    state: ApprovalStateSchema,
    account: z.object({ id: IdSchema, username: z.string(), targetId: IdSchema, targetName: z.string() }),
    requester: PersonSchema,
    reason: z.string(),
    requestedMinutes: z.number().int(),
    maxMinutes: z.number().int(),
    createdAt: TimestampSchema,
    pendingUntil: TimestampSchema.openapi({ description: 'Undecided until then, it expires' }),
    decidedBy: PersonSchema.nullable(),
    decidedAt: TimestampSchema.nullable(),
    comment: z.string().nullable(),
    windowStartsAt: TimestampSchema.nullable(),
    windowEndsAt: TimestampSchema.nullable(),
    usedAt: TimestampSchema.nullable(),
    mayDecide: z.boolean().openapi({ description: 'The caller may approve or deny it now' }),
  })
  .openapi('Approval');
export type Approval = z.infer<typeof ApprovalSchema>;

export const ApprovalPageSchema = pageOf(ApprovalSchema, 'ApprovalPage');
export type ApprovalPage = z.infer<typeof ApprovalPageSchema>;

export const ApprovalListQuerySchema = z.object({
  view: z.enum(['mine', 'to-approve']).default('mine').openapi({ description: 'mine: the caller’s own requests; to-approve: others’ the caller may decide' }),
  state: ApprovalStateSchema.optional(),
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
});
export type ApprovalListQuery = z.infer<typeof ApprovalListQuerySchema>;

export const ApprovalWaitingCountSchema = z
  .object({ count: z.number().int().openapi({ description: 'Pending requests of others the caller may decide' }) })
  .openapi('ApprovalWaitingCount');
export type ApprovalWaitingCount = z.infer<typeof ApprovalWaitingCountSchema>;

const ruleRoutesOf = (objectType: 'folder' | 'account', plural: string, tag: string) => ({
  get: defineRoute({
    operationId: `get${tag}ApprovalRules`,
    method: 'get',
    path: `/${plural}/:id/approval-rules`,
    summary: `The approval rules on one ${objectType}, its own and inherited`,
    tag: 'approvals',
    access: objectType === 'account' ? 'accounts.view' : 'targets.view',
    params: IdParamsSchema,
    success: { status: 200, schema: ApprovalRulesSchema },
    errors: [404],
  }),
  set: defineRoute({
    operationId: `set${tag}ApprovalRules`,
    method: 'put',
    path: `/${plural}/:id/approval-rules`,
    summary: `Replace the approval rules set on one ${objectType} (needs manage_permissions on it; removing or loosening one needs an administrator)`,
    tag: 'approvals',
    access: 'permissions.manage',
    params: IdParamsSchema,
    body: SetApprovalRulesRequestSchema,
    success: { status: 200, schema: ApprovalRulesSchema },
    errors: [403, 404],
  }),
});

export const approvalRuleRoutes = {
  folder: ruleRoutesOf('folder', 'folders', 'Folder'),
  account: ruleRoutesOf('account', 'accounts', 'Account'),
};

export const approvalRoutes = {
  create: defineRoute({
    operationId: 'requestApproval',
    method: 'post',
    path: '/approvals',
    summary: 'Ask for approval of a checkout or reset (needs the right for that action itself)',
    tag: 'approvals',
    access: 'authenticated',
    body: CreateApprovalRequestSchema,
    success: { status: 201, schema: ApprovalSchema },
    errors: [403, 404, 409],
  }),
  list: defineRoute({
    operationId: 'listApprovals',
    method: 'get',
    path: '/approvals',
    summary: 'Your own requests, or those waiting for your decision, newest first',
    tag: 'approvals',
    access: 'authenticated',
    query: ApprovalListQuerySchema,
    success: { status: 200, schema: ApprovalPageSchema },
  }),
  waitingCount: defineRoute({
    operationId: 'countApprovalsWaiting',
    method: 'get',
    path: '/approvals/waiting-count',
    summary: 'How many requests wait for your decision',
    tag: 'approvals',
    access: 'authenticated',
    success: { status: 200, schema: ApprovalWaitingCountSchema },
  }),
  get: defineRoute({
    operationId: 'getApproval',
    method: 'get',
    path: '/approvals/:id',
    summary: 'One request (its requester’s, or one the caller may decide)',
    tag: 'approvals',
    access: 'authenticated',
    params: IdParamsSchema,
    success: { status: 200, schema: ApprovalSchema },
    errors: [404],
  }),
  approve: defineRoute({
    operationId: 'approveApproval',
    method: 'post',
    path: '/approvals/:id/approve',
    summary: 'Approve a pending request (needs approve on the account; never your own)',
    tag: 'approvals',
    access: 'approvals.approve',
    params: IdParamsSchema,
    body: DecideApprovalRequestSchema,
    success: { status: 200, schema: ApprovalSchema },
    errors: [403, 404, 409],
  }),
  deny: defineRoute({
    operationId: 'denyApproval',
    method: 'post',
    path: '/approvals/:id/deny',
    summary: 'Deny a pending request (needs approve on the account; never your own)',
    tag: 'approvals',
    access: 'approvals.approve',
    params: IdParamsSchema,
    body: DecideApprovalRequestSchema,
    success: { status: 200, schema: ApprovalSchema },
    errors: [403, 404, 409],
  }),
  cancel: defineRoute({
    operationId: 'cancelApproval',
    method: 'post',
    path: '/approvals/:id/cancel',
    summary: 'Withdraw your own request, pending or approved and unused',
    tag: 'approvals',
    access: 'authenticated',
    params: IdParamsSchema,
    success: { status: 200, schema: ApprovalSchema },
    errors: [404, 409],
  }),
};
