import { AccountStatusSchema } from './accounts.js';
import { IdParamsSchema, IdSchema } from './common.js';
import { JobSchema } from './jobs.js';
import { defineRoute } from './route.js';
import { SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

/**
 * Settling a reset whose outcome is unknown (its job `unverified` with OUTCOME_UNKNOWN): PassMan
 * could not find out whether the target holds the new secret or the previous one, keeps both, and
 * refuses every other reset of the account until a person says which one the target holds.
 */
export const TARGET_HOLDS = ['NEW', 'PREVIOUS'] as const;
export type TargetHolds = (typeof TARGET_HOLDS)[number];

export const ConfirmResetOutcomeRequestSchema = z
  .object({
    targetHolds: z.enum(TARGET_HOLDS).openapi({
      description:
        'NEW: the target holds the reset’s new (pending) secret — it becomes CURRENT and the previous one RETIRED. ' +
        'PREVIOUS: the target still holds the previous secret — it stays CURRENT and the new one is marked FAILED',
    }),
    reason: SingleLineTextSchema.trim().max(500).optional().openapi({ description: 'How you know, for the audit trail' }),
  })
  .strict()
  .openapi('ConfirmResetOutcomeRequest', { example: { targetHolds: 'NEW', reason: 'Logged in on the console with the new password' } });
export type ConfirmResetOutcomeRequest = z.infer<typeof ConfirmResetOutcomeRequestSchema>;

export const ConfirmResetOutcomeResponseSchema = z
  .object({
    targetHolds: z.enum(TARGET_HOLDS),
    job: JobSchema.openapi({ description: 'The reset, settled: succeeded (NEW) or failed with TARGET_KEPT_PREVIOUS; it never runs again' }),
    credentialId: IdSchema,
    currentVersion: z.number().int().nullable().openapi({ description: 'The credential’s CURRENT version now (null: PREVIOUS confirmed for a first value)' }),
    account: z.object({
      id: IdSchema,
      status: AccountStatusSchema.openapi({ description: 'Recomputed: Unknown (NOT_CHECKED) until a Check proves the confirmed secret on the target' }),
      statusReason: z.string().nullable(),
    }),
  })
  .openapi('ConfirmResetOutcomeResponse');
export type ConfirmResetOutcomeResponse = z.infer<typeof ConfirmResetOutcomeResponseSchema>;

export const resetOutcomeRoutes = {
  confirm: defineRoute({
    operationId: 'confirmResetOutcome',
    method: 'post',
    path: '/jobs/:id/confirm-outcome',
    summary:
      'Settle a reset whose outcome is unknown (unverified, OUTCOME_UNKNOWN) by saying which secret the target holds; ' +
      'CheckOut with pending: true reveals the new one first. Needs the right reset on the account. ' +
      '409 (reason NOT_AWAITING_CONFIRMATION) when the job is not such a reset (or was settled meanwhile), ACCOUNT_BUSY while a check runs on it',
    tag: 'jobs',
    access: 'credentials.reset',
    params: IdParamsSchema,
    body: ConfirmResetOutcomeRequestSchema,
    success: { status: 200, schema: ConfirmResetOutcomeResponseSchema },
    errors: [404, 409, 503],
  }),
};
