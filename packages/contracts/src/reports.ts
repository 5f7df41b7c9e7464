import { AccountStatusSchema, PolicyComplianceSchema, SearchTextSchema } from './accounts.js';
import { CursorSchema, IdSchema, LimitSchema, RecursiveSchema, TimestampSchema } from './common.js';
import { defineRoute } from './route.js';
import { SecretTextSchema } from './text.js';
import { VaultActionSchema } from './rights.js';
import { z } from './zod.js';

/** The reports, each a list of rows limited to what the caller may see, as JSON or as CSV. */
export const REPORT_NAMES = ['activity', 'not-in-sync', 'rotation-overdue', 'noncompliant', 'checked-out', 'host-keys-pending'] as const;
export type ReportName = (typeof REPORT_NAMES)[number];

/** What an Activity row records being done to an account; each maps to the right it needs. */
export const ACTIVITY_KINDS = ['checkout', 'checkin', 'check', 'reset', 'change'] as const;
export const ActivityKindSchema = z.enum(ACTIVITY_KINDS).openapi('ActivityKind', {
  description:
    'checkout/checkin: a credential revealed or returned; check: a check asked for or run; reset: a reset asked for or applied; change: a credential stored or replaced in the vault',
});
export type ActivityKind = z.infer<typeof ActivityKindSchema>;

/** Filters every report takes: where in the tree, which target, a text. */
const TreeFilterSchema = z.object({
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
  folderId: IdSchema.optional().openapi({ description: 'Only what lies in this folder (and below it, unless recursive=false)' }),
  recursive: RecursiveSchema,
  targetId: IdSchema.optional().openapi({ description: 'Only this target' }),
  q: SearchTextSchema.optional().openapi({ description: 'Case-insensitive substring of the account’s username or the target’s name' }),
});

export const ActivityReportQuerySchema = TreeFilterSchema.extend({
  since: TimestampSchema.optional().openapi({ description: 'From this time (inclusive)' }),
  until: TimestampSchema.optional().openapi({ description: 'Up to this time (inclusive)' }),
  userId: IdSchema.optional().openapi({ description: 'Only what this user did' }),
  kind: ActivityKindSchema.optional(),
}).openapi('ActivityReportQuery');
export type ActivityReportQuery = z.infer<typeof ActivityReportQuerySchema>;

export const AccountReportQuerySchema = TreeFilterSchema.openapi('AccountReportQuery');
export type AccountReportQuery = z.infer<typeof AccountReportQuerySchema>;

export const CheckedOutReportQuerySchema = TreeFilterSchema.extend({
  userId: IdSchema.optional().openapi({ description: 'Only what this user holds checked out' }),
}).openapi('CheckedOutReportQuery');
export type CheckedOutReportQuery = z.infer<typeof CheckedOutReportQuerySchema>;

/** One bar of a report's chart: a label (a day, a reason code, a policy…) and how many rows have it. */
export const ReportBucketSchema = z.object({ key: z.string(), count: z.number().int() }).openapi('ReportBucket');
export type ReportBucket = z.infer<typeof ReportBucketSchema>;

function reportPageOf<T extends z.ZodType>(item: T, name: string, summary: string) {
  return z
    .object({
      items: z.array(item),
      nextCursor: z.string().nullable(),
      summary: z
        .array(ReportBucketSchema)
        .nullable()
        .openapi({ description: `On the first page only (null after): ${summary}, over every row the filters match` }),
      total: z.number().int().nullable().openapi({ description: 'On the first page only: how many rows the filters match' }),
    })
    .openapi(name);
}

export const ActivityRowSchema = z
  .object({
    id: z.string().openapi({ description: 'The audit event’s sequence number' }),
    at: TimestampSchema,
    actorId: IdSchema.nullable(),
    actorName: z.string().openapi({ description: 'Who did it (worker: PassMan’s job worker acting on a request)' }),
    kind: ActivityKindSchema,
    action: z.string().openapi({ description: 'The audit action, e.g. credential.checkout' }),
    right: VaultActionSchema.openapi({ description: 'The right in the vault tree the action needs' }),
    outcome: z.string(),
    clientAddress: z.string().nullable().openapi({ description: 'The address the request came from' }),
    accountId: IdSchema,
    username: z.string(),
    targetId: IdSchema.nullable().openapi({ description: 'Null once the account is deleted' }),
    targetName: z.string().nullable(),
    accountDeleted: z
      .boolean()
      .openapi({ description: 'The account has been deleted since (shown to those who see the whole vault, when no folder, target or text filter is set)' }),
  })
  .openapi('ActivityRow');
export type ActivityRow = z.infer<typeof ActivityRowSchema>;

export const AccountReportRowSchema = z
  .object({
    accountId: IdSchema,
    username: z.string(),
    targetId: IdSchema,
    targetName: z.string(),
    targetAddress: z.string(),
    folderId: IdSchema,
    status: AccountStatusSchema,
    statusReason: z.string().nullable(),
    statusSince: TimestampSchema,
    compliance: PolicyComplianceSchema.nullable(),
    lastCheckedAt: TimestampSchema.nullable(),
    lastChangedAt: TimestampSchema.nullable(),
    policyName: z.string().openapi({ description: 'The account’s policy, or the default one it follows' }),
    rotationIntervalDays: z.number().int().nullable(),
    rotationDueAt: TimestampSchema.nullable().openapi({ description: 'Last change (or creation) plus the policy’s rotation interval' }),
    checkedOutById: IdSchema.nullable(),
    checkedOutByName: z.string().nullable(),
    checkedOutAt: TimestampSchema.nullable(),
    checkoutExpiresAt: TimestampSchema.nullable().openapi({ description: 'Null: held until checked in' }),
  })
  .openapi('AccountReportRow');
export type AccountReportRow = z.infer<typeof AccountReportRowSchema>;

export const HostKeyReportRowSchema = z
  .object({
    hostKeyId: IdSchema,
    targetId: IdSchema,
    targetName: z.string(),
    targetAddress: z.string(),
    folderId: IdSchema,
    algorithm: z.string(),
    fingerprint: z.string(),
    firstSeenAt: TimestampSchema,
    lastSeenAt: TimestampSchema.nullable(),
  })
  .openapi('HostKeyReportRow');
export type HostKeyReportRow = z.infer<typeof HostKeyReportRowSchema>;

export const ActivityReportPageSchema = reportPageOf(ActivityRowSchema, 'ActivityReportPage', 'events per day (UTC)');
export const AccountReportPageSchema = reportPageOf(
  AccountReportRowSchema,
  'AccountReportPage',
  'rows per group (reason code, policy, days overdue or holder)',
);
export const HostKeyReportPageSchema = reportPageOf(HostKeyReportRowSchema, 'HostKeyReportPage', 'pending keys per target');
export type ActivityReportPage = z.infer<typeof ActivityReportPageSchema>;
export type AccountReportPage = z.infer<typeof AccountReportPageSchema>;
export type HostKeyReportPage = z.infer<typeof HostKeyReportPageSchema>;

const CSV_NOTE =
  ' Send `Accept: text/csv` for the same rows as CSV (every page, streamed; cells starting with = + - @ get a leading apostrophe so a spreadsheet never runs them).';

const report = <Q extends z.ZodType, R extends z.ZodType>(operationId: string, name: ReportName, summary: string, query: Q, schema: R) =>
  defineRoute({
    operationId,
    method: 'get',
    path: `/reports/${name}`,
    summary: `${summary}.${CSV_NOTE}`,
    tag: 'reports',
    access: name === 'host-keys-pending' ? 'targets.view' : 'accounts.view',
    query,
    success: { status: 200, schema },
    csv: true,
    errors: [404],
  });

export const reportRoutes = {
  activity: report(
    'reportActivity',
    'activity',
    'Who checked out, checked in, checked, reset or changed which account, when, from where, with what right (newest first)',
    ActivityReportQuerySchema,
    ActivityReportPageSchema,
  ),
  notInSync: report(
    'reportNotInSync',
    'not-in-sync',
    'Accounts not in sync, with the reason code and since when (longest first)',
    AccountReportQuerySchema,
    AccountReportPageSchema,
  ),
  rotationOverdue: report(
    'reportRotationOverdue',
    'rotation-overdue',
    'Accounts whose credentials are older than their policy’s rotation interval (most overdue first)',
    AccountReportQuerySchema,
    AccountReportPageSchema,
  ),
  noncompliant: report(
    'reportNoncompliant',
    'noncompliant',
    'Accounts whose secrets do not meet their policy',
    AccountReportQuerySchema,
    AccountReportPageSchema,
  ),
  checkedOut: report(
    'reportCheckedOut',
    'checked-out',
    'Accounts checked out now: by whom, since and until when',
    CheckedOutReportQuerySchema,
    AccountReportPageSchema,
  ),
  hostKeysPending: report(
    'reportHostKeysPending',
    'host-keys-pending',
    'Host keys offered by targets and not yet approved',
    AccountReportQuerySchema,
    HostKeyReportPageSchema,
  ),
};

/** Which accounts an export takes: a folder (recursively unless told), a target, a status, a text. */
export const ExportFilterSchema = z.object({
  folderId: IdSchema.optional(),
  recursive: RecursiveSchema,
  targetId: IdSchema.optional(),
  status: AccountStatusSchema.optional(),
  q: SearchTextSchema.optional(),
});

export const MetadataExportQuerySchema = ExportFilterSchema.openapi('MetadataExportQuery');
export type MetadataExportQuery = z.infer<typeof MetadataExportQuerySchema>;

/** The most accounts one KDBX export takes: the file is built in memory, and each account is audited. */
export const MAX_KDBX_EXPORT_ACCOUNTS = 5000;

export const KdbxExportRequestSchema = z
  .object({
    password: SecretTextSchema.min(12, 'must be at least 12 characters: it is all that protects the exported secrets')
      .max(1024)
      .openapi({ description: 'Protects the file (KDBX 4, Argon2id); never stored or logged' }),
    folderId: IdSchema.optional(),
    recursive: z.boolean().default(true),
    targetId: IdSchema.optional(),
    status: AccountStatusSchema.optional(),
    q: SearchTextSchema.optional(),
    reason: SearchTextSchema.optional().openapi({ description: 'Why, recorded with each account’s audit event' }),
  })
  .strict()
  .openapi('KdbxExportRequest');
export type KdbxExportRequest = z.infer<typeof KdbxExportRequestSchema>;

export const exportRoutes = {
  metadata: defineRoute({
    operationId: 'exportMetadata',
    method: 'get',
    path: '/exports/metadata',
    summary:
      'Targets, accounts, status, compliance and last change of every account the filters match and the caller may see, as CSV (never a secret); `Accept: application/json` gives the same rows as JSON',
    tag: 'reports',
    access: 'accounts.view',
    query: MetadataExportQuerySchema,
    success: { status: 200, schema: z.object({ items: z.array(AccountReportRowSchema) }).openapi('MetadataExport') },
    csv: true,
    errors: [404],
  }),
  kdbx: defineRoute({
    operationId: 'exportKdbx',
    method: 'post',
    path: '/exports/kdbx',
    summary:
      'The current secrets of every account the filters match, in a KeePass KDBX 4 file encrypted with the password in the body. Needs step-up re-authentication and the checkout right (and any approval a checkout needs) on every one of them: otherwise nothing is exported. Each account exported is audited as a checkout.',
    tag: 'reports',
    access: 'credentials.checkout',
    body: KdbxExportRequestSchema,
    success: { status: 200, mediaType: 'application/x-keepass2', description: 'The KDBX 4 file' },
    errors: [403, 404, 409, 503],
  }),
};
