import { IdParamsSchema, TimestampSchema } from './common.js';
import { CREDENTIAL_TYPES, MAX_TYPED_SECRET_LENGTH, typedSecretProblem } from './limits.js';
import { SshKeyTypeSchema } from './policies.js';
import { defineRoute } from './route.js';
import { PrivateKeyTextSchema, SecretTextSchema, TargetPasswordSchema } from './text.js';
import { z } from './zod.js';

export const CredentialTypeSchema = z.enum(CREDENTIAL_TYPES).openapi('CredentialType');
export type { CredentialType } from './limits.js';

export const VersionStateSchema = z.enum(['PENDING', 'CURRENT', 'RETIRED', 'FAILED']).openapi('VersionState');
export const SecretOriginSchema = z.enum(['TYPED', 'GENERATED', 'IMPORTED', 'RESTORED']).openapi('SecretOrigin', {
  description: 'RESTORED: the value of an older version (restoredFrom), put back by a restore',
});

export const CreateCredentialRequestSchema = z
  .object({
    type: CredentialTypeSchema,
    sshKeyType: SshKeyTypeSchema.optional().openapi({
      description: 'SSH_KEY only: the type to generate (default: the policy’s), or the expected type of an imported key',
    }),
    sshKeyBits: z.number().int().optional().openapi({ description: 'SSH_KEY with generate only: RSA size (default: the policy’s)' }),
    value: TargetPasswordSchema.optional().openapi({ description: 'PASSWORD or PIN typed by the operator' }),
    generate: z.literal(true).optional().openapi({ description: 'Generate the secret from the account’s policy' }),
    privateKey: PrivateKeyTextSchema.optional().openapi({ description: 'SSH_KEY to import: OpenSSH, PEM PKCS#1 or PKCS#8' }),
    passphrase: SecretTextSchema.max(MAX_TYPED_SECRET_LENGTH).optional().openapi({ description: 'Passphrase of an encrypted privateKey; not stored' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    const sources = [v.value !== undefined, v.generate === true, v.privateKey !== undefined].filter(Boolean).length;
    if (sources !== 1) ctx.addIssue({ code: 'custom', path: ['generate'], message: 'give exactly one of value, generate: true or privateKey' });
    if (v.type === 'SSH_KEY' && v.value !== undefined) ctx.addIssue({ code: 'custom', path: ['value'], message: 'an SSH key is given as privateKey' });
    if (v.type !== 'SSH_KEY') {
      for (const field of ['privateKey', 'passphrase', 'sshKeyType', 'sshKeyBits'] as const) {
        if (v[field] !== undefined) ctx.addIssue({ code: 'custom', path: [field], message: 'only for SSH_KEY credentials' });
      }
    }
    if (v.passphrase !== undefined && v.privateKey === undefined) ctx.addIssue({ code: 'custom', path: ['passphrase'], message: 'only with privateKey' });
    if (v.type === 'PIN' && v.value !== undefined) {
      const problem = typedSecretProblem('PIN', v.value);
      if (problem) ctx.addIssue({ code: 'custom', path: ['value'], message: problem });
    }
  })
  .openapi('CreateCredentialRequest', { example: { type: 'PASSWORD', generate: true } });
export type CreateCredentialRequest = z.infer<typeof CreateCredentialRequestSchema>;

export const CredentialVersionSchema = z
  .object({
    id: z.uuid(),
    credentialId: z.uuid(),
    version: z.number().int(),
    state: VersionStateSchema,
    origin: SecretOriginSchema,
    publicKey: z.string().nullable().openapi({ description: 'SSH keys: the authorized_keys line' }),
    fingerprint: z.string().nullable().openapi({ description: 'SSH keys: SHA256 fingerprint as ssh-keygen -l prints it' }),
    keyBits: z.number().int().nullable(),
    compliant: z.boolean().nullable(),
    restoredFrom: z.number().int().nullable().openapi({ description: 'RESTORED versions: the version whose value this one holds' }),
    createdBy: z.object({ id: z.uuid(), username: z.string() }).nullable(),
    createdAt: TimestampSchema,
    stateChangedAt: TimestampSchema,
  })
  .openapi('CredentialVersion');
export type CredentialVersion = z.infer<typeof CredentialVersionSchema>;

export const CredentialSchema = z
  .object({
    id: z.uuid(),
    accountId: z.uuid(),
    type: CredentialTypeSchema,
    sshKeyType: SshKeyTypeSchema.nullable(),
    weak: z.boolean().openapi({ description: 'Legacy algorithm (ssh-dss): keep only for hosts that need it' }),
    current: CredentialVersionSchema.nullable(),
    lastCheck: z.object({ ok: z.boolean(), code: z.string().nullable(), at: TimestampSchema }).nullable(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .openapi('Credential', { description: 'Metadata of one secret slot; never the secret' });
export type Credential = z.infer<typeof CredentialSchema>;

export const credentialRoutes = {
  list: defineRoute({
    operationId: 'listCredentials',
    method: 'get',
    path: '/accounts/:id/credentials',
    summary: 'The credentials of an account (metadata only)',
    tag: 'credentials',
    access: 'credentials.view',
    params: IdParamsSchema,
    success: { status: 200, schema: z.object({ items: z.array(CredentialSchema) }) },
    errors: [404],
  }),
  create: defineRoute({
    operationId: 'createCredential',
    method: 'post',
    path: '/accounts/:id/credentials',
    summary: 'Add a credential to an account: typed, generated from the policy, or an imported SSH key',
    tag: 'credentials',
    access: 'credentials.update',
    params: IdParamsSchema,
    body: CreateCredentialRequestSchema,
    success: { status: 201, schema: CredentialSchema },
    errors: [404, 409, 503],
  }),
  versions: defineRoute({
    operationId: 'listCredentialVersions',
    method: 'get',
    path: '/credentials/:id/versions',
    summary: 'Version history of a credential, newest first (metadata only)',
    tag: 'credentials',
    access: 'credentials.view',
    params: IdParamsSchema,
    success: { status: 200, schema: z.object({ items: z.array(CredentialVersionSchema) }) },
    errors: [404],
  }),
};
