import { IdParamsSchema, IdSchema, NameSchema, TimestampSchema } from './common.js';
import { defineRoute } from './route.js';
import { DescriptionSchema, SearchTextSchema } from './accounts.js';
import { MultiLineTextSchema } from './text.js';
import { GrantEffectSchema, MyRightsSchema, PrincipalTypeSchema, VaultActionSchema, VaultObjectTypeSchema } from './rights.js';
import type { VAULT_OBJECT_TYPES } from './vault-rights.js';
import { z } from './zod.js';

// ───────────────────────────── folders and the vault root ─────────────────────────────

export const FolderNameSchema = NameSchema.refine((v) => !v.includes('/'), 'must not contain /');

export const FolderSchema = z
  .object({
    id: IdSchema,
    parentId: IdSchema.nullable().openapi({ description: 'null for the root, the Vault' }),
    name: z.string(),
    path: z.array(z.object({ id: IdSchema, name: z.string() })).openapi({ description: 'From the root down to this folder’s parent' }),
    depth: z.number().int(),
    counts: z
      .object({ folders: z.number().int(), targets: z.number().int(), accounts: z.number().int() })
      .openapi({ description: 'What the caller may see directly in this folder (folders, targets) and anywhere below it (accounts)' }),
    myRights: MyRightsSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .openapi('Folder');
export type Folder = z.infer<typeof FolderSchema>;

export const FolderListSchema = z
  .object({ rootId: IdSchema, items: z.array(FolderSchema) })
  .openapi('FolderList', { description: 'The folders the caller may see, parents before children; a folder on the way to one they may see is listed too' });
export type FolderList = z.infer<typeof FolderListSchema>;

export const FolderListQuerySchema = z.object({
  parentId: IdSchema.optional().openapi({ description: 'Only the folders directly under this one' }),
});

export const CreateFolderRequestSchema = z
  .object({
    name: FolderNameSchema,
    parentId: IdSchema.optional().openapi({ description: 'Default: the root' }),
  })
  .strict()
  .openapi('CreateFolderRequest');
export type CreateFolderRequest = z.infer<typeof CreateFolderRequestSchema>;

export const UpdateFolderRequestSchema = z
  .object({
    name: FolderNameSchema.optional(),
    parentId: IdSchema.optional().openapi({ description: 'Move the folder, with everything below it, under this one' }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .openapi('UpdateFolderRequest');
export type UpdateFolderRequest = z.infer<typeof UpdateFolderRequestSchema>;

export const FOLDER_CONTENT_ON_DELETE = ['refuse', 'move', 'delete'] as const;
export const DeleteFolderQuerySchema = z.object({
  content: z
    .enum(FOLDER_CONTENT_ON_DELETE)
    .default('refuse')
    .openapi({
      description:
        'What happens to what the folder holds: refuse (the default: 409 unless it is empty), move (its folders and targets go up to its parent) ' +
        'or delete (every folder, target and account below it, with their credentials and history)',
    }),
});
export type DeleteFolderQuery = z.infer<typeof DeleteFolderQuerySchema>;

export const RenameVaultRequestSchema = z.object({ name: FolderNameSchema }).strict().openapi('RenameVaultRequest');

// ───────────────────────────── groups ─────────────────────────────

export const GroupNameSchema = NameSchema;

export const GroupMemberSchema = z.object({ id: IdSchema, username: z.string(), displayName: z.string(), addedAt: TimestampSchema }).openapi('GroupMember');

export const GroupSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    description: z.string(),
    memberCount: z.number().int(),
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .openapi('Group');
export type Group = z.infer<typeof GroupSchema>;

export const GroupDetailSchema = GroupSchema.extend({ members: z.array(GroupMemberSchema) }).openapi('GroupDetail');
export type GroupDetail = z.infer<typeof GroupDetailSchema>;

export const GroupListSchema = z.object({ items: z.array(GroupSchema) }).openapi('GroupList');
export const GroupListQuerySchema = z.object({
  q: SearchTextSchema.optional().openapi({ description: 'Case-insensitive substring of the name' }),
  userId: IdSchema.optional().openapi({ description: 'Only the groups this user is a member of' }),
});
export type GroupListQuery = z.infer<typeof GroupListQuerySchema>;

export const CreateGroupRequestSchema = z
  .object({ name: GroupNameSchema, description: DescriptionSchema.default('') })
  .strict()
  .openapi('CreateGroupRequest');
export type CreateGroupRequest = z.infer<typeof CreateGroupRequestSchema>;

export const UpdateGroupRequestSchema = z
  .object({ name: GroupNameSchema.optional(), description: MultiLineTextSchema.max(1000).optional() })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .openapi('UpdateGroupRequest');
export type UpdateGroupRequest = z.infer<typeof UpdateGroupRequestSchema>;

export const GroupMemberParamsSchema = z.object({ id: IdSchema, userId: IdSchema });

// ───────────────────────────── permissions ─────────────────────────────

export const PrincipalSchema = z
  .object({ type: PrincipalTypeSchema, id: IdSchema, name: z.string().openapi({ description: 'The user’s username or the group’s name' }) })
  .openapi('Principal');
export type Principal = z.infer<typeof PrincipalSchema>;

export const VaultObjectRefSchema = z.object({ type: VaultObjectTypeSchema, id: IdSchema, name: z.string() }).openapi('VaultObjectRef');

export const GrantSchema = z
  .object({
    id: IdSchema,
    object: VaultObjectRefSchema,
    principal: PrincipalSchema,
    action: VaultActionSchema,
    effect: GrantEffectSchema,
    createdAt: TimestampSchema,
  })
  .openapi('Grant');
export type Grant = z.infer<typeof GrantSchema>;

export const PermissionListSchema = z
  .object({
    object: VaultObjectRefSchema,
    grants: z.array(GrantSchema),
    version: z.string().openapi({
      description: 'Names this set of grants: send it back as `expectedVersion` so a change someone else made meanwhile is not overwritten',
    }),
  })
  .openapi('PermissionList', { description: 'The grants made directly on this object' });
export type PermissionList = z.infer<typeof PermissionListSchema>;

/** The most grants one object may carry directly (a request replaces them all). */
export const MAX_GRANTS_PER_OBJECT = 500;

export const GrantInputSchema = z
  .object({
    principal: z.object({ type: PrincipalTypeSchema, id: IdSchema }).strict(),
    action: VaultActionSchema,
    effect: GrantEffectSchema,
  })
  .strict()
  .openapi('GrantInput');
export type GrantInput = z.infer<typeof GrantInputSchema>;

export const SetPermissionsRequestSchema = z
  .object({
    grants: z.array(GrantInputSchema).max(MAX_GRANTS_PER_OBJECT),
    expectedVersion: z
      .string()
      .regex(/^[0-9a-f]{1,64}$/)
      .optional()
      .openapi({ description: 'The `version` the grants were read at: if they have changed since, nothing is changed and the answer is 409 EDIT_CONFLICT' }),
  })
  .strict()
  .superRefine((v, ctx) => {
    const seen = new Set<string>();
    v.grants.forEach((g, i) => {
      const key = `${g.principal.type}:${g.principal.id}:${g.action}`;
      if (seen.has(key)) ctx.addIssue({ code: 'custom', path: ['grants', i], message: 'one grant per principal and action: this one repeats an earlier one' });
      seen.add(key);
    });
  })
  .openapi('SetPermissionsRequest', { description: 'The complete set of direct grants of the object: grants not listed are revoked' });
export type SetPermissionsRequest = z.infer<typeof SetPermissionsRequestSchema>;

export const EffectiveRightSchema = z
  .object({
    action: VaultActionSchema,
    allowed: z.boolean(),
    from: z
      .array(
        z.object({
          grantId: IdSchema,
          object: VaultObjectRefSchema,
          effect: GrantEffectSchema,
          inherited: z.boolean().openapi({ description: 'Made on an ancestor, not on this object' }),
          via: PrincipalSchema.openapi({ description: 'Whom the grant names: the user, or a group they are in' }),
        }),
      )
      .openapi({ description: 'Every grant that reaches this principal for this action; one DENY among them denies' }),
  })
  .openapi('EffectiveRight');

export const EffectivePermissionsSchema = z
  .object({
    object: VaultObjectRefSchema,
    principals: z.array(z.object({ principal: PrincipalSchema, rights: z.array(EffectiveRightSchema) })),
  })
  .openapi('EffectivePermissions', {
    description:
      'Every user and group that a grant on this object or an ancestor names, and every member of such a group, with the rights those grants ' +
      'yield (global roles aside: administrators may do everything, auditors see everything)',
  });
export type EffectivePermissions = z.infer<typeof EffectivePermissionsSchema>;

const permissionRoutesOf = (objectType: (typeof VAULT_OBJECT_TYPES)[number], plural: string, tag: string) => {
  const view = objectType === 'account' ? 'accounts.view' : 'targets.view';
  return {
    get: defineRoute({
      operationId: `get${tag}Permissions`,
      method: 'get',
      path: `/${plural}/:id/permissions`,
      summary: `The grants made directly on one ${objectType}`,
      tag: 'permissions',
      access: view,
      params: IdParamsSchema,
      success: { status: 200, schema: PermissionListSchema },
      errors: [404],
    }),
    set: defineRoute({
      operationId: `set${tag}Permissions`,
      method: 'put',
      path: `/${plural}/:id/permissions`,
      summary: `Replace the grants made directly on one ${objectType} (needs manage_permissions on it)`,
      tag: 'permissions',
      access: 'permissions.manage',
      params: IdParamsSchema,
      body: SetPermissionsRequestSchema,
      success: { status: 200, schema: PermissionListSchema },
      errors: [403, 404, 409, 422],
    }),
    effective: defineRoute({
      operationId: `get${tag}EffectivePermissions`,
      method: 'get',
      path: `/${plural}/:id/permissions/effective`,
      summary: `Each principal’s inherited and effective rights on one ${objectType}, with the grants they come from`,
      tag: 'permissions',
      access: view,
      params: IdParamsSchema,
      success: { status: 200, schema: EffectivePermissionsSchema },
      errors: [404],
    }),
  };
};

export const permissionRoutes = {
  folder: permissionRoutesOf('folder', 'folders', 'Folder'),
  target: permissionRoutesOf('target', 'targets', 'Target'),
  account: permissionRoutesOf('account', 'accounts', 'Account'),
};

export const folderRoutes = {
  vault: defineRoute({
    operationId: 'getVault',
    method: 'get',
    path: '/vault',
    summary: 'The root of the vault tree',
    tag: 'folders',
    access: 'targets.view',
    success: { status: 200, schema: FolderSchema },
  }),
  renameVault: defineRoute({
    operationId: 'renameVault',
    method: 'patch',
    path: '/vault',
    summary: 'Rename the root of the vault tree, e.g. to the organisation’s name (needs manage on the root)',
    tag: 'folders',
    access: 'targets.manage',
    body: RenameVaultRequestSchema,
    success: { status: 200, schema: FolderSchema },
    errors: [403],
  }),
  list: defineRoute({
    operationId: 'listFolders',
    method: 'get',
    path: '/folders',
    summary: 'The folders of the tree the caller may see, parents first',
    tag: 'folders',
    access: 'targets.view',
    query: FolderListQuerySchema,
    success: { status: 200, schema: FolderListSchema },
    errors: [404],
  }),
  create: defineRoute({
    operationId: 'createFolder',
    method: 'post',
    path: '/folders',
    summary: 'Create a folder (needs manage on its parent)',
    tag: 'folders',
    access: 'targets.manage',
    body: CreateFolderRequestSchema,
    success: { status: 201, schema: FolderSchema },
    errors: [403, 404, 409],
  }),
  get: defineRoute({
    operationId: 'getFolder',
    method: 'get',
    path: '/folders/:id',
    summary: 'One folder with its path and counts',
    tag: 'folders',
    access: 'targets.view',
    params: IdParamsSchema,
    success: { status: 200, schema: FolderSchema },
    errors: [404],
  }),
  update: defineRoute({
    operationId: 'updateFolder',
    method: 'patch',
    path: '/folders/:id',
    summary: 'Rename a folder, or move it with everything below it (needs manage on it, and on the new parent)',
    tag: 'folders',
    access: 'targets.manage',
    params: IdParamsSchema,
    body: UpdateFolderRequestSchema,
    success: { status: 200, schema: FolderSchema },
    errors: [403, 404, 409, 422],
  }),
  delete: defineRoute({
    operationId: 'deleteFolder',
    method: 'delete',
    path: '/folders/:id',
    summary: 'Delete a folder; one that is not empty only when asked to move or delete its content',
    tag: 'folders',
    access: 'targets.manage',
    params: IdParamsSchema,
    query: DeleteFolderQuerySchema,
    success: { status: 204 },
    errors: [403, 404, 409, 422],
  }),
};

export const groupRoutes = {
  list: defineRoute({
    operationId: 'listGroups',
    method: 'get',
    path: '/groups',
    summary: 'User groups, by name',
    tag: 'groups',
    access: 'permissions.manage',
    query: GroupListQuerySchema,
    success: { status: 200, schema: GroupListSchema },
  }),
  create: defineRoute({
    operationId: 'createGroup',
    method: 'post',
    path: '/groups',
    summary: 'Create a user group',
    tag: 'groups',
    access: 'users.manage',
    body: CreateGroupRequestSchema,
    success: { status: 201, schema: GroupDetailSchema },
    errors: [409],
  }),
  get: defineRoute({
    operationId: 'getGroup',
    method: 'get',
    path: '/groups/:id',
    summary: 'One group with its members (who is in which group is for administrators of users)',
    tag: 'groups',
    access: 'users.manage',
    params: IdParamsSchema,
    success: { status: 200, schema: GroupDetailSchema },
    errors: [404],
  }),
  update: defineRoute({
    operationId: 'updateGroup',
    method: 'patch',
    path: '/groups/:id',
    summary: 'Rename a group or change its description',
    tag: 'groups',
    access: 'users.manage',
    params: IdParamsSchema,
    body: UpdateGroupRequestSchema,
    success: { status: 200, schema: GroupDetailSchema },
    errors: [404, 409],
  }),
  delete: defineRoute({
    operationId: 'deleteGroup',
    method: 'delete',
    path: '/groups/:id',
    summary: 'Delete a group and every grant made to it',
    tag: 'groups',
    access: 'users.manage',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
  addMember: defineRoute({
    operationId: 'addGroupMember',
    method: 'put',
    path: '/groups/:id/members/:userId',
    summary: 'Add a user to a group (no change if they are in it)',
    tag: 'groups',
    access: 'users.manage',
    params: GroupMemberParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
  removeMember: defineRoute({
    operationId: 'removeGroupMember',
    method: 'delete',
    path: '/groups/:id/members/:userId',
    summary: 'Remove a user from a group (no change if they are not in it)',
    tag: 'groups',
    access: 'users.manage',
    params: GroupMemberParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
};
