import { CursorSchema, IdParamsSchema, IdSchema, LimitSchema, QueryBooleanSchema, RecursiveSchema, TimestampSchema, pageOf } from './common.js';
import { MAX_TARGET_USERNAME_LENGTH, TARGET_USERNAME_PATTERN } from './limits.js';
import { defineRoute } from './route.js';
import { MyRightsSchema } from './rights.js';
import { MultiLineTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

export const ACCOUNT_STATUSES = ['InSync', 'NotInSync', 'Unknown'] as const;
export const AccountStatusSchema = z.enum(ACCOUNT_STATUSES).openapi('AccountStatus');
export type AccountStatus = z.infer<typeof AccountStatusSchema>;

export const PolicyComplianceSchema = z.enum(['Compliant', 'Noncompliant']).openapi('PolicyCompliance', {
  description:
    'Whether every current secret meets the account’s policy: assessed when a secret is stored, and again when the policy’s rules, the default policy or the account’s policy change',
});
export type PolicyCompliance = z.infer<typeof PolicyComplianceSchema>;

/**
 * A login on a target (see TARGET_USERNAME_PATTERN). Never trimmed or case-folded: what is
 * stored is exactly what reaches the host.
 */
export const AccountUsernameSchema = SingleLineTextSchema.max(MAX_TARGET_USERNAME_LENGTH)
  .regex(TARGET_USERNAME_PATTERN, 'must be a POSIX user name: a-z or _ first, then a-z 0-9 _ -')
  .openapi({ example: 'deploy', pattern: TARGET_USERNAME_PATTERN.source });

/** Free text shown beside the account or target: may span lines, no other control characters. */
export const DescriptionSchema = MultiLineTextSchema.max(1000);

export const AccountSchema = z
  .object({
    id: IdSchema,
    targetId: IdSchema,
    target: z.object({ id: IdSchema, name: z.string(), address: z.string() }),
    folderId: IdSchema.openapi({ description: 'The folder of its target' }),
    username: z.string(),
    description: z.string(),
    status: AccountStatusSchema,
    statusReason: z.string().nullable().openapi({ description: 'Why it is not InSync, e.g. AUTH_REJECTED, UNREACHABLE, HOST_KEY_MISMATCH' }),
    lastCheckedAt: TimestampSchema.nullable(),
    lastChangedAt: TimestampSchema.nullable(),
    policyId: IdSchema.nullable(),
    policy: z.object({ id: IdSchema, name: z.string() }).nullable(),
    compliance: PolicyComplianceSchema.nullable(),
    isManagingAccount: z.boolean().openapi({ description: 'This account is its target’s managing account' }),
    checkout: z
      .object({ userId: IdSchema, checkedOutAt: TimestampSchema, expiresAt: TimestampSchema.nullable() })
      .nullable()
      .openapi({ description: 'Who holds the credential checked out, or null' }),
    myRights: MyRightsSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .openapi('Account');
export type Account = z.infer<typeof AccountSchema>;

export const CreateAccountRequestSchema = z
  .object({
    targetId: IdSchema,
    username: AccountUsernameSchema,
    description: DescriptionSchema.default(''),
    policyId: IdSchema.nullable().default(null),
  })
  .strict()
  .openapi('CreateAccountRequest');
export type CreateAccountRequest = z.infer<typeof CreateAccountRequestSchema>;

export const UpdateAccountRequestSchema = z
  .object({
    username: AccountUsernameSchema.optional(),
    description: DescriptionSchema.optional(),
    policyId: IdSchema.nullable().optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .openapi('UpdateAccountRequest');
export type UpdateAccountRequest = z.infer<typeof UpdateAccountRequestSchema>;

export const ACCOUNT_SORTS = [
  'username',
  '-username',
  'status',
  '-status',
  'lastCheckedAt',
  '-lastCheckedAt',
  'createdAt',
  '-createdAt',
  'target',
  '-target',
] as const;
export const AccountSortSchema = z.enum(ACCOUNT_SORTS).openapi('AccountSort', {
  description:
    'Sort key; a leading - reverses it. `status` (InSync, NotInSync, Unknown) ties break on username, then id; ' +
    '`target` sorts by target name, then username; `lastCheckedAt` and `createdAt` ties break on id. ' +
    'Never-checked accounts count as the oldest: first for lastCheckedAt, last for -lastCheckedAt.',
});
export type AccountSort = z.infer<typeof AccountSortSchema>;

/** Text filter: case-insensitive substring. */
export const SearchTextSchema = SingleLineTextSchema.trim().min(1).max(100);

/** Filters and sort of the Accounts pop-up of one target (GET /targets/{id}/accounts). */
export const TargetAccountListQuerySchema = z.object({
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
  status: AccountStatusSchema.optional(),
  q: SearchTextSchema.optional().openapi({ description: 'Case-insensitive substring of the username or the target name' }),
  sort: AccountSortSchema.default('username'),
});
export type TargetAccountListQuery = z.infer<typeof TargetAccountListQuerySchema>;

export const AccountListQuerySchema = TargetAccountListQuerySchema.extend({
  targetId: IdSchema.optional().openapi({ description: 'Only the accounts of this target' }),
  folderId: IdSchema.optional().openapi({ description: 'Only the accounts of targets in this folder (and below it, unless recursive=false)' }),
  recursive: RecursiveSchema,
  compliance: PolicyComplianceSchema.optional().openapi({ description: 'Only Compliant or only Noncompliant accounts' }),
  checkedOut: QueryBooleanSchema.optional().openapi({ description: 'true: only accounts checked out now; false: only those not' }),
  rotationOverdue: QueryBooleanSchema.optional().openapi({
    description: 'true: only accounts with a password or key CURRENT for longer than their policy’s rotation interval',
  }),
});
export type AccountListQuery = z.infer<typeof AccountListQuerySchema>;

export const AccountPageSchema = pageOf(AccountSchema, 'AccountPage');
export type AccountPage = z.infer<typeof AccountPageSchema>;

export const accountRoutes = {
  list: defineRoute({
    operationId: 'listAccounts',
    method: 'get',
    path: '/accounts',
    summary: 'Accounts, filtered by target, status and text, sorted, a page at a time',
    tag: 'accounts',
    access: 'accounts.view',
    query: AccountListQuerySchema,
    success: { status: 200, schema: AccountPageSchema },
  }),
  create: defineRoute({
    operationId: 'createAccount',
    method: 'post',
    path: '/accounts',
    summary: 'Add an account to a target',
    tag: 'accounts',
    access: 'accounts.manage',
    body: CreateAccountRequestSchema,
    success: { status: 201, schema: AccountSchema },
    errors: [409, 422],
  }),
  get: defineRoute({
    operationId: 'getAccount',
    method: 'get',
    path: '/accounts/:id',
    summary: 'One account',
    tag: 'accounts',
    access: 'accounts.view',
    params: IdParamsSchema,
    success: { status: 200, schema: AccountSchema },
    errors: [404],
  }),
  update: defineRoute({
    operationId: 'updateAccount',
    method: 'patch',
    path: '/accounts/:id',
    summary: 'Rename an account, change its description or policy (another policy re-assesses its compliance)',
    tag: 'accounts',
    access: 'accounts.manage',
    params: IdParamsSchema,
    body: UpdateAccountRequestSchema,
    success: { status: 200, schema: AccountSchema },
    errors: [404, 409, 422, 503],
  }),
  delete: defineRoute({
    operationId: 'deleteAccount',
    method: 'delete',
    path: '/accounts/:id',
    summary: 'Delete an account with its credentials and history (refused while it is checked out)',
    tag: 'accounts',
    access: 'accounts.manage',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404, 409],
  }),
};
