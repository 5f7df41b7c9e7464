import { SearchTextSchema } from './accounts.js';
import { TimestampSchema, IdParamsSchema, pageOf, PageQuerySchema } from './common.js';
import { RoleNameSchema } from './permissions.js';
import {
  DISPLAY_NAME_MAX_LENGTH,
  OPERATOR_PASSWORD_MAX_LENGTH,
  OPERATOR_PASSWORD_MIN_LENGTH,
  OPERATOR_USERNAME_MAX_LENGTH,
  OPERATOR_USERNAME_MIN_LENGTH,
  OPERATOR_USERNAME_PATTERN,
} from './limits.js';
import { SecretTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

export const UsernameSchema = SingleLineTextSchema.trim()
  .toLowerCase()
  .min(OPERATOR_USERNAME_MIN_LENGTH)
  .max(OPERATOR_USERNAME_MAX_LENGTH)
  .regex(OPERATOR_USERNAME_PATTERN, 'lower-case letters, digits, . _ @ - only')
  .openapi({ pattern: OPERATOR_USERNAME_PATTERN.source });

/** Operator passwords: long enough to matter, short enough to hash quickly. */
export const OperatorPasswordSchema = SecretTextSchema.min(OPERATOR_PASSWORD_MIN_LENGTH).max(OPERATOR_PASSWORD_MAX_LENGTH);

export const DisplayNameSchema = SingleLineTextSchema.trim().min(1).max(DISPLAY_NAME_MAX_LENGTH);

export const UserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: RoleNameSchema,
    disabled: z.boolean(),
    lastLoginAt: TimestampSchema.nullable(),
    createdAt: TimestampSchema,
  })
  .openapi('User');
export type User = z.infer<typeof UserSchema>;

export const CreateUserRequestSchema = z
  .object({
    username: UsernameSchema,
    displayName: DisplayNameSchema.optional(),
    role: RoleNameSchema,
    password: OperatorPasswordSchema,
  })
  .openapi('CreateUserRequest', { example: { username: 'jdoe', displayName: 'Jane Doe', role: 'operator', password: 'correct horse battery staple' } });
export type CreateUserRequest = z.infer<typeof CreateUserRequestSchema>;

export const UpdateUserRequestSchema = z
  .object({
    displayName: DisplayNameSchema.optional(),
    role: RoleNameSchema.optional(),
    disabled: z.boolean().optional(),
    password: OperatorPasswordSchema.optional(),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .openapi('UpdateUserRequest');
export type UpdateUserRequest = z.infer<typeof UpdateUserRequestSchema>;

export const UserPageSchema = pageOf(UserSchema, 'UserPage');

export const UserListQuerySchema = PageQuerySchema.extend({
  q: SearchTextSchema.optional().openapi({ description: 'Case-insensitive substring of the username or the display name' }),
});
export type UserListQuery = z.infer<typeof UserListQuerySchema>;

export const userRoutes = {
  list: defineRoute({
    operationId: 'listUsers',
    method: 'get',
    path: '/users',
    summary: 'Operators, by username',
    tag: 'users',
    access: 'users.manage',
    query: UserListQuerySchema,
    success: { status: 200, schema: UserPageSchema },
  }),
  create: defineRoute({
    operationId: 'createUser',
    method: 'post',
    path: '/users',
    summary: 'Create an operator',
    tag: 'users',
    access: 'users.manage',
    body: CreateUserRequestSchema,
    success: { status: 201, schema: UserSchema },
    errors: [409],
  }),
  get: defineRoute({
    operationId: 'getUser',
    method: 'get',
    path: '/users/:id',
    summary: 'One operator',
    tag: 'users',
    access: 'users.manage',
    params: IdParamsSchema,
    success: { status: 200, schema: UserSchema },
    errors: [404],
  }),
  update: defineRoute({
    operationId: 'updateUser',
    method: 'patch',
    path: '/users/:id',
    summary: 'Change an operator’s name, role or password, or disable it (ends its sessions)',
    tag: 'users',
    access: 'users.manage',
    params: IdParamsSchema,
    body: UpdateUserRequestSchema,
    success: { status: 200, schema: UserSchema },
    errors: [404, 409],
  }),
};
