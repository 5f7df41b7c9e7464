import { AccountPageSchema, DescriptionSchema, SearchTextSchema, TargetAccountListQuerySchema } from './accounts.js';
import { MyRightsSchema } from './rights.js';
import {
  CursorSchema,
  IdParamsSchema,
  IdSchema,
  LimitSchema,
  NameSchema,
  QueryBooleanSchema,
  RecursiveSchema,
  TagSchema,
  TagsSchema,
  TimestampSchema,
  pageOf,
} from './common.js';
import { defineRoute } from './route.js';
import { SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

/** RFC 1123 host name: dot-separated labels of a-z 0-9 -, none starting or ending with -, the last not all digits. */
const HOSTNAME = /^(?=.{1,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)*(?=[a-z0-9-]*[a-z-])[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/;

/** True for a host name, an IPv4 literal (no leading zeros) or an IPv6 literal (no brackets, no zone). */
export function isTargetAddress(value: string): boolean {
  return HOSTNAME.test(value) || z.regexes.ipv4.test(value) || z.regexes.ipv6.test(value);
}

/**
 * Where the connector dials. Strict on purpose (it reaches ssh and logs): a host name or an
 * IP literal, so no spaces, no shell metacharacters, no leading `-` (option injection).
 * Stored lower-case.
 */
export const TargetAddressSchema = SingleLineTextSchema.max(253)
  .toLowerCase()
  .refine(isTargetAddress, 'must be a host name (letters, digits, - and .) or an IPv4/IPv6 address')
  .openapi({ example: 'db-01.example.internal' });

export const PortSchema = z.number().int().min(1).max(65535);
export const ConnectorKindSchema = z.enum(['ssh']).openapi('ConnectorKind');
export const HostKeyStatusSchema = z.enum(['PENDING', 'APPROVED', 'REVOKED']).openapi('HostKeyStatus');

export const TargetHostKeySchema = z
  .object({
    id: IdSchema,
    algorithm: z.string().openapi({ example: 'ssh-ed25519' }),
    fingerprint: z.string().openapi({ example: 'SHA256:uNiVztksCsDhcc0u9e8BujQXVUpKZIDTMczCvj3tD2s' }),
    status: HostKeyStatusSchema,
    firstSeenAt: TimestampSchema,
    approvedAt: TimestampSchema.nullable().openapi({
      description: 'When it was last approved; a PENDING key with an approval time was unpinned because the target’s address or port changed',
    }),
    seenAt: z
      .object({ address: z.string(), port: z.number().int(), lastSeenAt: TimestampSchema })
      .nullable()
      .openapi({ description: 'Where and when the target last offered this key; null for keys recorded before PassMan kept it' }),
  })
  .openapi('TargetHostKey');

export const TargetSchema = z
  .object({
    id: IdSchema,
    name: z.string(),
    address: z.string(),
    port: z.number().int(),
    connectorKind: ConnectorKindSchema,
    description: z.string(),
    tags: z.array(z.string()),
    managingAccountId: IdSchema.nullable(),
    managingAccount: z.object({ id: IdSchema, username: z.string() }).nullable(),
    hostKeys: z.array(TargetHostKeySchema).openapi({ description: 'Host keys seen or pinned; only APPROVED ones are trusted' }),
    accountCount: z.number().int().openapi({ description: 'The accounts of this target the caller may see' }),
    folderId: IdSchema,
    myRights: MyRightsSchema,
    createdAt: TimestampSchema,
    updatedAt: TimestampSchema,
  })
  .openapi('Target');
export type Target = z.infer<typeof TargetSchema>;

export const TargetNameSchema = NameSchema;

export const CreateTargetRequestSchema = z
  .object({
    name: TargetNameSchema,
    address: TargetAddressSchema,
    port: PortSchema.default(22),
    connectorKind: ConnectorKindSchema.default('ssh'),
    description: DescriptionSchema.default(''),
    tags: TagsSchema.default([]),
    folderId: IdSchema.optional().openapi({ description: 'The folder it goes in (needs manage there); default: the root' }),
  })
  .strict()
  .openapi('CreateTargetRequest', { example: { name: 'db-01', address: 'db-01.example.internal', port: 22, tags: ['prod'] } });
export type CreateTargetRequest = z.infer<typeof CreateTargetRequestSchema>;

export const UpdateTargetRequestSchema = z
  .object({
    name: TargetNameSchema.optional(),
    address: TargetAddressSchema.optional(),
    port: PortSchema.optional(),
    description: DescriptionSchema.optional(),
    tags: TagsSchema.optional(),
    managingAccountId: IdSchema.nullable().optional().openapi({
      description: 'An account of this target allowed to change the others (e.g. via sudo chpasswd); null to clear',
    }),
    folderId: IdSchema.optional().openapi({ description: 'Move the target, with its accounts, to this folder (needs manage on both)' }),
  })
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .openapi('UpdateTargetRequest');
export type UpdateTargetRequest = z.infer<typeof UpdateTargetRequestSchema>;

export const TARGET_SORTS = ['name', '-name', 'createdAt', '-createdAt'] as const;
export const TargetSortSchema = z.enum(TARGET_SORTS).openapi('TargetSort', { description: 'Sort key; a leading - reverses it' });
export type TargetSort = z.infer<typeof TargetSortSchema>;

export const TargetListQuerySchema = z.object({
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
  q: SearchTextSchema.optional().openapi({ description: 'Case-insensitive substring of the name or the address' }),
  tag: TagSchema.optional().openapi({ description: 'Only targets carrying this tag' }),
  folderId: IdSchema.optional().openapi({ description: 'Only the targets in this folder (and below it, unless recursive=false)' }),
  recursive: RecursiveSchema,
  hostKeyPending: QueryBooleanSchema.optional().openapi({ description: 'true: only targets with a host key waiting for approval' }),
  sort: TargetSortSchema.default('name'),
});
export type TargetListQuery = z.infer<typeof TargetListQuerySchema>;

export const TargetPageSchema = pageOf(TargetSchema, 'TargetPage');
export type TargetPage = z.infer<typeof TargetPageSchema>;

export const targetRoutes = {
  list: defineRoute({
    operationId: 'listTargets',
    method: 'get',
    path: '/targets',
    summary: 'Targets, filtered by text and tag, sorted, a page at a time',
    tag: 'targets',
    access: 'targets.view',
    query: TargetListQuerySchema,
    success: { status: 200, schema: TargetPageSchema },
  }),
  create: defineRoute({
    operationId: 'createTarget',
    method: 'post',
    path: '/targets',
    summary: 'Add a target host',
    tag: 'targets',
    access: 'targets.manage',
    body: CreateTargetRequestSchema,
    success: { status: 201, schema: TargetSchema },
    errors: [409],
  }),
  get: defineRoute({
    operationId: 'getTarget',
    method: 'get',
    path: '/targets/:id',
    summary: 'One target with its host keys and account count',
    tag: 'targets',
    access: 'targets.view',
    params: IdParamsSchema,
    success: { status: 200, schema: TargetSchema },
    errors: [404],
  }),
  update: defineRoute({
    operationId: 'updateTarget',
    method: 'patch',
    path: '/targets/:id',
    summary: 'Change a target’s name, address, port, description, tags or managing account',
    tag: 'targets',
    access: 'targets.manage',
    params: IdParamsSchema,
    body: UpdateTargetRequestSchema,
    success: { status: 200, schema: TargetSchema },
    errors: [404, 409, 422],
  }),
  delete: defineRoute({
    operationId: 'deleteTarget',
    method: 'delete',
    path: '/targets/:id',
    summary: 'Delete a target with all its accounts, their credentials and history',
    tag: 'targets',
    access: 'targets.manage',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
  accounts: defineRoute({
    operationId: 'listTargetAccounts',
    method: 'get',
    path: '/targets/:id/accounts',
    summary: 'The accounts of one target (the Accounts pop-up); same filters and sort as GET /accounts',
    tag: 'targets',
    access: 'accounts.view',
    params: IdParamsSchema,
    query: TargetAccountListQuerySchema,
    success: { status: 200, schema: AccountPageSchema },
    errors: [404],
  }),
};
