import { IdSchema } from './common.js';
import { CredentialVersionSchema } from './credentials.js';
import { JobSchema } from './jobs.js';
import { defineRoute } from './route.js';
import { z } from './zod.js';

export const RestoreParamsSchema = z.object({
  id: IdSchema,
  version: z.coerce.number().int().min(1).max(2_147_483_647).openapi({ description: 'The version whose value is put back' }),
});

export const RestoreRequestSchema = z
  .object({
    onTarget: z.boolean().openapi({
      description:
        'true: put the old value back on the target too, with the never-lose protocol of a reset (a RESET job; the right reset). ' +
        'false: in the vault only (the right update): a new current version holding the old value; the account is Unknown until checked',
    }),
    acknowledgeLossOfSync: z.boolean().optional().openapi({ description: 'Needed to restore in the vault only on an InSync account, as for a reset' }),
    acceptNoncompliant: z.boolean().optional().openapi({
      description: 'Needed to restore a value that today’s policy of the account refuses; the account then shows Noncompliant',
    }),
  })
  .strict()
  .openapi('RestoreRequest', { example: { onTarget: true } });
export type RestoreRequest = z.infer<typeof RestoreRequestSchema>;

export const RestoreResponseSchema = z
  .object({
    onTarget: z.boolean(),
    restoredFrom: z.number().int(),
    version: CredentialVersionSchema.nullable().openapi({ description: 'In the vault only: the new current version' }),
    job: JobSchema.nullable().openapi({ description: 'On the target: the reset job putting the old value back; follow it' }),
  })
  .openapi('RestoreResponse');
export type RestoreResponse = z.infer<typeof RestoreResponseSchema>;

export const historyRoutes = {
  restore: defineRoute({
    operationId: 'restoreCredentialVersion',
    method: 'post',
    path: '/credentials/:id/versions/:version/restore',
    summary: 'Restore an older version of a credential: in the vault only, or on the target as a reset',
    tag: 'credentials',
    access: 'credentials.view',
    params: RestoreParamsSchema,
    body: RestoreRequestSchema,
    success: { status: 200, schema: RestoreResponseSchema, description: 'Vault only: restored; on the target: the job is queued, follow it' },
    errors: [404, 409, 422, 503],
  }),
};
