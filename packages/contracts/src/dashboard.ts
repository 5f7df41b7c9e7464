import { IdSchema, TimestampSchema } from './common.js';
import { JobSchema } from './jobs.js';
import { defineRoute } from './route.js';
import { TargetPasswordSchema } from './text.js';
import { PortSchema, TargetAddressSchema, TargetNameSchema } from './targets.js';
import { AccountUsernameSchema } from './accounts.js';
import { z } from './zod.js';

const count = z.number().int().min(0);

export const DashboardSchema = z
  .object({
    accounts: z.object({
      total: count,
      inSync: count,
      notInSync: count,
      unknown: count,
      noncompliant: count,
      checkedOut: count.openapi({ description: 'Checked out now' }),
      rotationOverdue: count.openapi({ description: 'A password or key CURRENT for longer than its policy’s rotation interval' }),
    }),
    targets: z.object({ hostKeysPending: count.openapi({ description: 'Targets with a host key waiting for approval' }) }),
    jobs: z.object({
      failed: count.openapi({ description: 'Jobs that failed since `since`' }),
      unverified: count.openapi({ description: 'Jobs whose outcome on the target is not known yet' }),
    }),
    since: TimestampSchema.openapi({ description: 'Start of the window of `jobs.failed` (24 hours ago); the jobs list takes it as `since`' }),
  })
  .openapi('Dashboard', { description: 'Counts over what the caller may see' });
export type Dashboard = z.infer<typeof DashboardSchema>;

export const ActivityItemSchema = z
  .object({
    seq: z.string(),
    at: TimestampSchema,
    actorName: z.string(),
    action: z.string().openapi({ example: 'credential.checkout' }),
    outcome: z.string(),
    account: z.object({ id: IdSchema, username: z.string(), targetName: z.string() }).nullable(),
  })
  .openapi('ActivityItem');
export type ActivityItem = z.infer<typeof ActivityItemSchema>;

export const QuickSaveRequestSchema = z
  .object({
    folderId: IdSchema.optional().openapi({ description: 'Where a new target goes (default: the root, the Vault)' }),
    targetName: TargetNameSchema,
    address: TargetAddressSchema.optional().openapi({ description: 'A new target’s address (default: its name)' }),
    port: PortSchema.optional().openapi({ description: 'A new target’s SSH port (default 22)' }),
    username: AccountUsernameSchema,
    password: TargetPasswordSchema,
  })
  .strict()
  .openapi('QuickSaveRequest');
export type QuickSaveRequest = z.infer<typeof QuickSaveRequestSchema>;

export const QuickSaveResponseSchema = z
  .object({
    target: z.object({ id: IdSchema, name: z.string(), created: z.boolean() }),
    account: z.object({ id: IdSchema, username: z.string(), created: z.boolean() }),
    job: JobSchema.openapi({ description: 'The check of the saved password; follow it' }),
  })
  .openapi('QuickSaveResponse');
export type QuickSaveResponse = z.infer<typeof QuickSaveResponseSchema>;

export const dashboardRoutes = {
  summary: defineRoute({
    operationId: 'getDashboard',
    method: 'get',
    path: '/dashboard',
    summary: 'The home page’s counts, over what the caller may see; each matches a filtered list',
    tag: 'dashboard',
    access: 'accounts.view',
    success: { status: 200, schema: DashboardSchema },
  }),
  activity: defineRoute({
    operationId: 'getDashboardActivity',
    method: 'get',
    path: '/dashboard/activity',
    summary: 'The last 24 hours of the audit trail on the accounts the caller may see, newest first (at most 50)',
    tag: 'dashboard',
    access: 'accounts.view',
    success: { status: 200, schema: z.object({ items: z.array(ActivityItemSchema) }) },
  }),
  quickSave: defineRoute({
    operationId: 'quickSavePassword',
    method: 'post',
    path: '/dashboard/quick-save',
    summary: 'Quick Password Saving: save a password for target and account (created when missing), then check it',
    tag: 'dashboard',
    access: 'credentials.update',
    body: QuickSaveRequestSchema,
    success: { status: 202, schema: QuickSaveResponseSchema, description: 'Saved; the check runs as a job' },
    errors: [404, 409, 503],
  }),
};
