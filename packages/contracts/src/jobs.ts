import { CursorSchema, IdParamsSchema, IdSchema, LimitSchema, pageOf, TimestampSchema } from './common.js';
import { CredentialTypeSchema } from './credentials.js';
import { ACCOUNT_JOB_KINDS, BULK_JOB_KINDS, JOB_STATES } from './job-rules.js';
import { MAX_SSH_PRIVATE_KEY_BYTES, typedSecretProblem } from './limits.js';
import { SshKeyTypeSchema } from './policies.js';
import { defineRoute } from './route.js';
import { MultiLineTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

export const JobKindSchema = z.enum(ACCOUNT_JOB_KINDS).openapi('JobKind');
export type { AccountJobKind, JobKind, JobState } from './job-rules.js';
export const JobStateSchema = z.enum(JOB_STATES).openapi('JobState', {
  description:
    'unverified: the outcome on the target is not known yet; recovery keeps both secrets until a probe settles it, ' +
    'or, once recovery is over (errorCode OUTCOME_UNKNOWN), until a person confirms which one the target holds (POST /jobs/{id}/confirm-outcome)',
});

export const JobStepSchema = z
  .object({
    step: z.string().openapi({ example: 'verify-new' }),
    status: z.enum(['started', 'done', 'failed', 'info']),
    detail: z.record(z.string(), z.unknown()).nullable(),
    at: TimestampSchema,
  })
  .openapi('JobStep');
export type JobStep = z.infer<typeof JobStepSchema>;

export const CredentialCheckResultSchema = z
  .object({ credentialId: IdSchema, type: CredentialTypeSchema, sshKeyType: SshKeyTypeSchema.nullable(), ok: z.boolean(), code: z.string().nullable() })
  .openapi('CredentialCheckResult', { description: 'true: this credential logs in on the target' });

export const JobSchema = z
  .object({
    id: IdSchema,
    kind: JobKindSchema,
    state: JobStateSchema,
    account: z.object({ id: IdSchema, username: z.string(), targetId: IdSchema, targetName: z.string() }),
    credentialId: IdSchema.nullable(),
    batchId: IdSchema.nullable(),
    requestedBy: z.object({ id: IdSchema, username: z.string() }).nullable(),
    params: z.record(z.string(), z.unknown()).openapi({ description: 'What was asked, without any secret' }),
    results: z.array(CredentialCheckResultSchema).openapi({ description: 'CHECK: one result per credential' }),
    errorCode: z.string().nullable().openapi({ description: 'e.g. AUTH_REJECTED, UNREACHABLE, HOST_KEY_MISMATCH, SSH_DIR_OWNERSHIP' }),
    errorMessage: z.string().nullable(),
    attempts: z.number().int(),
    steps: z.array(JobStepSchema),
    createdAt: TimestampSchema,
    startedAt: TimestampSchema.nullable(),
    finishedAt: TimestampSchema.nullable(),
  })
  .openapi('Job');
export type Job = z.infer<typeof JobSchema>;

export const ResetRequestSchema = z
  .object({
    credentialId: IdSchema.optional().openapi({ description: 'Which credential; default: the one of credentialType (and sshKeyType)' }),
    credentialType: CredentialTypeSchema,
    sshKeyType: SshKeyTypeSchema.optional().openapi({ description: 'SSH_KEY: which of the account’s keys (default ssh-rsa)' }),
    newSecret: MultiLineTextSchema.min(1)
      .max(MAX_SSH_PRIVATE_KEY_BYTES)
      .optional()
      .openapi({ description: 'The new password or PIN (the rules of CreateCredentialRequest.value), or an SSH private key (of privateKey)' }),
    generate: z.literal(true).optional().openapi({ description: 'Generate and Save: make the secret from the account’s policy' }),
    changeOnTarget: z.boolean().default(true),
    acknowledgeLossOfSync: z.boolean().optional().openapi({ description: 'Needed to change only the vault copy of an InSync account' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if ((v.newSecret !== undefined) === (v.generate === true)) {
      ctx.addIssue({ code: 'custom', path: ['generate'], message: 'give exactly one of newSecret and generate: true' });
    }
    // Longer than any secret: the field's own maximum already said so.
    const problem = v.newSecret === undefined || v.newSecret.length > MAX_SSH_PRIVATE_KEY_BYTES ? null : typedSecretProblem(v.credentialType, v.newSecret);
    if (problem) ctx.addIssue({ code: 'custom', path: ['newSecret'], message: problem });
    if (v.sshKeyType !== undefined && v.credentialType !== 'SSH_KEY') ctx.addIssue({ code: 'custom', path: ['sshKeyType'], message: 'only for SSH_KEY' });
  })
  .openapi('ResetRequest', { example: { credentialType: 'PASSWORD', generate: true, changeOnTarget: true } });
export type ResetRequest = z.infer<typeof ResetRequestSchema>;

export const CheckoutRequestSchema = z
  .object({
    credentialId: IdSchema.optional(),
    credentialType: CredentialTypeSchema.optional().openapi({ description: 'Default: the password, else the first credential' }),
    sshKeyType: SshKeyTypeSchema.optional(),
    reason: SingleLineTextSchema.trim().max(500).optional().openapi({ description: 'Why, for the audit trail' }),
    pending: z
      .literal(true)
      .optional()
      .openapi({
        description:
          'Reveal the new (PENDING) secret of a reset whose outcome is unknown (its job unverified with OUTCOME_UNKNOWN) instead of the current one, ' +
          'to find out which one the target holds; 409 (reason NOT_AWAITING_CONFIRMATION) when there is none',
      }),
  })
  .strict()
  .openapi('CheckoutRequest', { example: { credentialType: 'PASSWORD', reason: 'Incident 4711: database restore' } });
export type CheckoutRequest = z.infer<typeof CheckoutRequestSchema>;

export const CheckoutResponseSchema = z
  .object({
    credentialId: IdSchema,
    type: CredentialTypeSchema,
    sshKeyType: SshKeyTypeSchema.nullable(),
    version: z.number().int(),
    pending: z.boolean().openapi({ description: 'true: the unconfirmed new secret of a reset whose outcome is unknown, not the current one' }),
    secret: z.string().openapi({ description: 'The password, PIN or OpenSSH private key' }),
    publicKey: z.string().nullable(),
    fingerprint: z.string().nullable(),
    checkedOutAt: TimestampSchema,
    expiresAt: TimestampSchema.nullable().openapi({ description: 'Exclusive checkouts end then' }),
  })
  .openapi('Checkout');
export type CheckoutResponse = z.infer<typeof CheckoutResponseSchema>;

export const CheckinResponseSchema = z
  .object({ resetJob: JobSchema.nullable().openapi({ description: 'The reset the policy asks for after check-in, if any' }) })
  .openapi('Checkin');

export const BulkJobRequestSchema = z
  .object({
    kind: z.enum(BULK_JOB_KINDS),
    accountIds: z.array(IdSchema).min(1).max(5000),
    reset: z
      .object({
        credentialType: CredentialTypeSchema,
        sshKeyType: SshKeyTypeSchema.optional(),
        changeOnTarget: z.boolean().default(true),
        acknowledgeLossOfSync: z.boolean().optional().openapi({
          description:
            'Needed when changeOnTarget is false and any of the accounts is InSync: they lose InSync, as with a single reset. Without it such a request is refused as a whole (409 naming those accounts) and nothing is stored',
        }),
      })
      .strict()
      .optional()
      .openapi({ description: 'RESET: what to reset; bulk resets always Generate and Save' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (v.kind === 'RESET' && !v.reset) ctx.addIssue({ code: 'custom', path: ['reset'], message: 'required for RESET' });
    if (v.kind === 'CHECK' && v.reset) ctx.addIssue({ code: 'custom', path: ['reset'], message: 'only for RESET' });
    if (new Set(v.accountIds).size !== v.accountIds.length) ctx.addIssue({ code: 'custom', path: ['accountIds'], message: 'must not repeat an account' });
  })
  .openapi('BulkJobRequest');
export type BulkJobRequest = z.infer<typeof BulkJobRequestSchema>;

export const BatchSchema = z
  .object({
    id: IdSchema,
    kind: JobKindSchema,
    total: z.number().int(),
    counts: z.object({
      queued: z.number().int(),
      running: z.number().int(),
      succeeded: z.number().int(),
      failed: z.number().int(),
      unverified: z.number().int(),
      recovering: z
        .number()
        .int()
        .openapi({ description: 'Of the unverified jobs, those still being recovered (the worker runs them again until the target answers)' }),
    }),
    done: z.boolean().openapi({ description: 'Every job is settled: none queued, running or still being recovered (isBatchDone)' }),
    createdAt: TimestampSchema,
  })
  .openapi('Batch');
export type Batch = z.infer<typeof BatchSchema>;

export const BulkRefusalSchema = z
  .object({
    accountId: IdSchema,
    code: z.enum(['NOT_FOUND', 'FORBIDDEN', 'APPROVAL_REQUIRED']).openapi({
      description:
        'NOT_FOUND: no such account, or one you may not see; FORBIDDEN: you may see it but not do this; ' +
        'APPROVAL_REQUIRED: a reset there needs an approval, which only a reset of that one account can use',
    }),
    message: z.string(),
  })
  .openapi('BulkRefusal');

export const BulkJobResponseSchema = BatchSchema.extend({
  refused: z.array(BulkRefusalSchema).openapi({ description: 'The accounts left out of the batch, each with why; the others were queued' }),
}).openapi('BulkJobResponse');
export type BulkJobResponse = z.infer<typeof BulkJobResponseSchema>;

export const JobListQuerySchema = z.object({
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
  accountId: IdSchema.optional(),
  batchId: IdSchema.optional(),
  state: JobStateSchema.optional(),
  kind: JobKindSchema.optional(),
  since: TimestampSchema.optional().openapi({ description: 'Only jobs created at or after this time' }),
});

export const JobPageSchema = pageOf(JobSchema, 'JobPage');

export const jobRoutes = {
  reset: defineRoute({
    operationId: 'resetCredentials',
    method: 'post',
    path: '/accounts/:id/reset',
    summary: 'Reset Credentials: change a credential in the vault, and on the target unless changeOnTarget is false',
    tag: 'jobs',
    access: 'credentials.reset',
    params: IdParamsSchema,
    body: ResetRequestSchema,
    success: { status: 202, schema: JobSchema, description: 'Accepted: follow the job' },
    errors: [404, 409, 422, 503],
  }),
  check: defineRoute({
    operationId: 'checkCredentials',
    method: 'post',
    path: '/accounts/:id/check',
    summary: 'Check credentials: log in with each stored credential; InSync when all work',
    tag: 'jobs',
    access: 'credentials.check',
    params: IdParamsSchema,
    success: { status: 202, schema: JobSchema },
    errors: [404, 503],
  }),
  checkout: defineRoute({
    operationId: 'checkoutCredential',
    method: 'post',
    path: '/accounts/:id/checkout',
    summary: 'CheckOut: reveal the current secret, or with pending: true the unconfirmed new one (audited before it is returned)',
    tag: 'jobs',
    access: 'credentials.checkout',
    params: IdParamsSchema,
    body: CheckoutRequestSchema,
    success: { status: 200, schema: CheckoutResponseSchema },
    errors: [404, 409, 503],
  }),
  checkin: defineRoute({
    operationId: 'checkinCredential',
    method: 'post',
    path: '/accounts/:id/checkin',
    summary: 'CheckIn: return a checked-out account (resets it when its policy says so)',
    tag: 'jobs',
    access: 'credentials.checkout',
    params: IdParamsSchema,
    success: { status: 200, schema: CheckinResponseSchema },
    errors: [404, 409],
  }),
  bulk: defineRoute({
    operationId: 'createBulkJobs',
    method: 'post',
    path: '/jobs/bulk',
    summary: 'Check or reset many accounts as one batch',
    tag: 'jobs',
    access: 'credentials.check',
    body: BulkJobRequestSchema,
    success: { status: 202, schema: BulkJobResponseSchema },
    errors: [403, 404, 409, 422, 503],
  }),
  list: defineRoute({
    operationId: 'listJobs',
    method: 'get',
    path: '/jobs',
    summary: 'Jobs, newest first',
    tag: 'jobs',
    access: 'jobs.view',
    query: JobListQuerySchema,
    success: { status: 200, schema: JobPageSchema },
  }),
  get: defineRoute({
    operationId: 'getJob',
    method: 'get',
    path: '/jobs/:id',
    summary: 'One job with its timeline',
    tag: 'jobs',
    access: 'jobs.view',
    params: IdParamsSchema,
    success: { status: 200, schema: JobSchema },
    errors: [404],
  }),
  events: defineRoute({
    operationId: 'jobEvents',
    method: 'get',
    path: '/jobs/:id/events',
    summary: 'Live progress of a job (Server-Sent Events: `job` events carry the Job; the stream ends when it does)',
    tag: 'jobs',
    access: 'jobs.view',
    params: IdParamsSchema,
    success: { status: 200, schema: JobSchema },
    stream: true,
    errors: [404, 429],
  }),
  batch: defineRoute({
    operationId: 'getBatch',
    method: 'get',
    path: '/batches/:id',
    summary: 'Progress counts of a batch',
    tag: 'jobs',
    access: 'jobs.view',
    params: IdParamsSchema,
    success: { status: 200, schema: BatchSchema },
    errors: [404],
  }),
  batchEvents: defineRoute({
    operationId: 'batchEvents',
    method: 'get',
    path: '/batches/:id/events',
    summary: 'Live progress of a batch (Server-Sent Events: `batch` events carry the Batch)',
    tag: 'jobs',
    access: 'jobs.view',
    params: IdParamsSchema,
    success: { status: 200, schema: BatchSchema },
    stream: true,
    errors: [404, 429],
  }),
};

const SHA256_FINGERPRINT = /^SHA256:[A-Za-z0-9+/]{43}$/;

export const hostKeyRoutes = {
  scan: defineRoute({
    operationId: 'scanHostKey',
    method: 'post',
    path: '/targets/:id/host-key/scan',
    summary: 'Connect and record the host key the target offers (PENDING until approved); sends no credential',
    tag: 'targets',
    access: 'targets.manage',
    params: IdParamsSchema,
    success: { status: 200, schema: z.object({ algorithm: z.string(), fingerprint: z.string(), status: z.enum(['PENDING', 'APPROVED', 'REVOKED']) }) },
    errors: [404, 503],
  }),
  approve: defineRoute({
    operationId: 'approveHostKey',
    method: 'post',
    path: '/targets/:id/host-key/approve',
    summary:
      'Pin a host key by its SHA256 fingerprint; other keys of the target are revoked. Only a key the target offered at its current address and port can be pinned.',
    tag: 'targets',
    access: 'targets.trust',
    params: IdParamsSchema,
    body: z
      .object({
        fingerprint: SingleLineTextSchema.regex(SHA256_FINGERPRINT, 'a SHA256 fingerprint as ssh-keygen -l prints it').openapi({
          pattern: SHA256_FINGERPRINT.source,
        }),
      })
      .strict(),
    success: {
      status: 200,
      schema: z.object({
        fingerprint: z.string(),
        status: z.literal('APPROVED'),
        previousFingerprints: z.array(z.string()).openapi({ description: 'The keys pinned before, now revoked' }),
      }),
    },
    errors: [404, 409],
  }),
};
