import { TimestampSchema, NameSchema, IdParamsSchema } from './common.js';
import { PermissionSchema } from './permissions.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

export const CreateTokenRequestSchema = z
  .object({
    name: NameSchema.max(100),
    scopes: z.array(PermissionSchema).min(1).openapi({ description: 'Subset of your own permissions' }),
    expiresInDays: z.number().int().min(1).max(365).default(90),
  })
  .openapi('CreateTokenRequest', { example: { name: 'ci-smoke-checks', scopes: ['accounts.view', 'credentials.check'], expiresInDays: 30 } });
export type CreateTokenRequest = z.infer<typeof CreateTokenRequestSchema>;

export const ApiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters of the token, to recognise it' }),
    scopes: z.array(PermissionSchema),
    createdAt: TimestampSchema,
    expiresAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable(),
    revokedAt: TimestampSchema.nullable(),
  })
  .openapi('ApiToken');
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreatedTokenSchema = ApiTokenSchema.extend({
  token: z.string().openapi({ description: 'The secret, shown this once; send as Authorization: Bearer <token>' }),
}).openapi('CreatedApiToken');
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;


export const tokenRoutes = {
  create: defineRoute({
    operationId: 'createToken',
    method: 'post',
    path: '/tokens',
    summary: 'Create an API token for yourself (the secret is shown once)',
    tag: 'tokens',
    access: 'tokens.manage',
    body: CreateTokenRequestSchema,
    success: { status: 201, schema: CreatedTokenSchema },
  }),
  list: defineRoute({
    operationId: 'listTokens',
    method: 'get',
    path: '/tokens',
    summary: 'Your API tokens (never their secrets)',
    tag: 'tokens',
    access: 'tokens.manage',
    success: { status: 200, schema: z.object({ items: z.array(ApiTokenSchema) }) },
  }),
  revoke: defineRoute({
    operationId: 'revokeToken',
    method: 'delete',
    path: '/tokens/:id',
    summary: 'Revoke one of your API tokens',
    tag: 'tokens',
    access: 'tokens.manage',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
};
