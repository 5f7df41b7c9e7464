import { TimestampSchema, NameSchema, IdParamsSchema, IdSchema, PageQuerySchema, pageOf } from './common.js';
import { PermissionSchema } from './permissions.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

export const CreateTokenRequestSchema = z
  .object({
    name: NameSchema.max(100),
    scopes: z.array(PermissionSchema).min(1).openapi({ description: 'Subset of your own permissions' }),
    expiresInDays: z.number().int().min(1).max(365).optional().openapi({
      description:
        'Lifetime in days (default 90). A token creating a token can give it neither more time than itself has left (the default shrinks to that) nor a scope it lacks.',
    }),
  })
  .openapi('CreateTokenRequest', { example: { name: 'ci-smoke-checks', scopes: ['accounts.view', 'credentials.check'], expiresInDays: 30 } });
export type CreateTokenRequest = z.infer<typeof CreateTokenRequestSchema>;

/** Why a token stopped working before it expired. */
export const TOKEN_REVOCATION_REASONS = ['owner', 'admin', 'password-changed', 'user-disabled', 'role-changed'] as const;
export const TokenRevocationReasonSchema = z.enum(TOKEN_REVOCATION_REASONS).openapi('TokenRevocationReason', {
  description: 'owner or admin: revoked by hand; the others: revoked with every token of its user when that changed',
});
export type TokenRevocationReason = z.infer<typeof TokenRevocationReasonSchema>;

export const ApiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string().openapi({ description: 'First characters of the token, to recognise it' }),
    scopes: z.array(PermissionSchema),
    createdAt: TimestampSchema,
    expiresAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable().openapi({ description: 'Last use, recorded at most once a minute' }),
    lastUsedIp: z.string().nullable().openapi({ description: 'Address of the request recorded as the last use' }),
    revokedAt: TimestampSchema.nullable(),
    revokedReason: TokenRevocationReasonSchema.nullable(),
  })
  .openapi('ApiToken');
export type ApiToken = z.infer<typeof ApiTokenSchema>;

export const CreatedTokenSchema = ApiTokenSchema.extend({
  token: z.string().openapi({ description: 'The secret, shown this once; send as Authorization: Bearer <token>' }),
}).openapi('CreatedApiToken');
export type CreatedToken = z.infer<typeof CreatedTokenSchema>;

export const ApiTokenPageSchema = pageOf(ApiTokenSchema, 'ApiTokenPage');

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
    summary: 'Your API tokens, newest first, with their last use (never their secrets)',
    tag: 'tokens',
    access: 'tokens.manage',
    query: PageQuerySchema,
    success: { status: 200, schema: ApiTokenPageSchema },
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

/** An administrator's view of any user's tokens. */
export const userTokenRoutes = {
  list: defineRoute({
    operationId: 'listUserTokens',
    method: 'get',
    path: '/users/:id/tokens',
    summary: 'A user’s API tokens, newest first, with their last use (never their secrets)',
    tag: 'users',
    access: 'users.manage',
    params: IdParamsSchema,
    query: PageQuerySchema,
    success: { status: 200, schema: ApiTokenPageSchema },
    errors: [404],
  }),
  revoke: defineRoute({
    operationId: 'revokeUserToken',
    method: 'delete',
    path: '/users/:id/tokens/:tokenId',
    summary: 'Revoke one of a user’s API tokens',
    tag: 'users',
    access: 'users.manage',
    params: z.object({ id: IdSchema, tokenId: IdSchema }),
    success: { status: 204 },
    errors: [404],
  }),
};
