import { TimestampSchema } from './common.js';
import { RoleNameSchema, ROLES } from './permissions.js';
import { MultiLineTextSchema, SecretTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

const LdapTextSchema = SingleLineTextSchema.trim().max(1000);
const AttributeNameSchema = SingleLineTextSchema.trim()
  .max(100)
  .regex(/^[A-Za-z][A-Za-z0-9-]*$|^$/, 'an attribute name: letters, digits and -');

/** One directory group (by DN) and what its members get in PassMan. */
export const LdapRoleMappingSchema = z.object({ group: LdapTextSchema.min(1), role: RoleNameSchema }).openapi('LdapRoleMapping');
export const LdapGroupMappingSchema = z.object({ group: LdapTextSchema.min(1), groupId: z.uuid() }).openapi('LdapGroupMapping');
export type LdapRoleMapping = z.infer<typeof LdapRoleMappingSchema>;
export type LdapGroupMapping = z.infer<typeof LdapGroupMappingSchema>;

const settingsFields = {
  enabled: z.boolean(),
  /** ldap://host:389 or ldaps://host:636. */
  url: LdapTextSchema.regex(/^(ldaps?:\/\/[^\s/]+\/?)?$/i, 'ldap://host[:port] or ldaps://host[:port]'),
  /** Upgrade an ldap:// connection with StartTLS before anything is sent. */
  startTls: z.boolean(),
  /** PEM certificate(s) of the CA that signed the directory's certificate; empty: the system's CAs. */
  caCertificate: MultiLineTextSchema.max(100_000),
  /** The service account that looks users up; empty: anonymous search. */
  bindDn: LdapTextSchema,
  baseDn: LdapTextSchema,
  /** Filter that finds one user; `{username}` stands for the typed username (escaped). */
  userFilter: LdapTextSchema,
  usernameAttribute: AttributeNameSchema.min(1),
  displayNameAttribute: AttributeNameSchema,
  /** Attribute of the user entry listing its groups' DNs (AD: memberOf); empty: none. */
  groupAttribute: AttributeNameSchema,
  /** Where to search for groups; empty: the base DN. */
  groupSearchBase: LdapTextSchema,
  /** Filter that finds the user's groups; `{dn}` is the user's DN, `{username}` its username; empty: no search. */
  groupFilter: LdapTextSchema,
  /** Role of a directory user in no mapped group; null: such a user may not sign in. */
  defaultRole: z.enum(ROLES).nullable(),
  /** First matching entry wins. */
  roleMappings: z.array(LdapRoleMappingSchema).max(100),
  groupMappings: z.array(LdapGroupMappingSchema).max(500),
  /** How often the directory sync runs; 0: only when an admin starts it. */
  syncIntervalMinutes: z.number().int().min(0).max(10_080),
};

export const LdapSyncSummarySchema = z
  .object({
    at: TimestampSchema,
    ok: z.boolean(),
    checked: z.number().int(),
    updated: z.number().int(),
    disabled: z.number().int(),
    /** Why the sync could not run (the directory was unreachable, …). */
    error: z.string().nullable(),
  })
  .openapi('LdapSyncSummary');
export type LdapSyncSummary = z.infer<typeof LdapSyncSummarySchema>;

export const LdapSettingsSchema = z
  .object({
    ...settingsFields,
    /** Whether a bind password is stored; the password itself is never returned. */
    hasBindPassword: z.boolean(),
    lastSync: LdapSyncSummarySchema.nullable(),
  })
  .openapi('LdapSettings');
export type LdapSettings = z.infer<typeof LdapSettingsSchema>;

export const UpdateLdapSettingsRequestSchema = z
  .object({
    ...settingsFields,
    /** Absent: keep the stored one; null: remove it. */
    bindPassword: SecretTextSchema.min(1).max(1000).nullable().optional(),
  })
  .strict()
  .superRefine((v, ctx) => {
    if (!v.enabled) return;
    if (!v.url) ctx.addIssue({ code: 'custom', path: ['url'], message: 'required when LDAP is enabled' });
    if (!v.baseDn) ctx.addIssue({ code: 'custom', path: ['baseDn'], message: 'required when LDAP is enabled' });
    if (!v.userFilter.includes('{username}')) ctx.addIssue({ code: 'custom', path: ['userFilter'], message: 'must contain {username}' });
    if (v.startTls && /^ldaps:/i.test(v.url)) ctx.addIssue({ code: 'custom', path: ['startTls'], message: 'ldaps:// is already TLS' });
  })
  .openapi('UpdateLdapSettingsRequest');
export type UpdateLdapSettingsRequest = z.infer<typeof UpdateLdapSettingsRequestSchema>;

export const LdapTestRequestSchema = z
  .object({ username: SingleLineTextSchema.trim().min(1).max(256).optional() })
  .strict()
  .openapi('LdapTestRequest');

export const LdapTestResultSchema = z
  .object({
    ok: z.boolean(),
    /** LDAP_UNAVAILABLE, LDAP_TLS_FAILED, LDAP_BIND_FAILED, LDAP_SEARCH_FAILED, LDAP_USER_NOT_FOUND, LDAP_NOT_CONFIGURED. */
    code: z.string().nullable(),
    message: z.string(),
    /** none, starttls or ldaps. */
    transport: z.string(),
    /** How many users the user filter (with * for the username) finds, up to the first 1000. */
    usersFound: z.number().int().nullable(),
    user: z
      .object({
        dn: z.string(),
        username: z.string(),
        displayName: z.string(),
        groups: z.array(z.string()),
        role: RoleNameSchema.nullable(),
        groupIds: z.array(z.uuid()),
      })
      .nullable(),
  })
  .openapi('LdapTestResult');
export type LdapTestResult = z.infer<typeof LdapTestResultSchema>;

export const ldapRoutes = {
  getSettings: defineRoute({
    operationId: 'getLdapSettings',
    method: 'get',
    path: '/ldap/settings',
    summary: 'LDAP / Active Directory settings (the bind password is never returned)',
    tag: 'ldap',
    access: 'users.manage',
    success: { status: 200, schema: LdapSettingsSchema },
  }),
  updateSettings: defineRoute({
    operationId: 'updateLdapSettings',
    method: 'put',
    path: '/ldap/settings',
    summary: 'Change the LDAP / Active Directory settings',
    tag: 'ldap',
    access: 'users.manage',
    body: UpdateLdapSettingsRequestSchema,
    success: { status: 200, schema: LdapSettingsSchema },
  }),
  test: defineRoute({
    operationId: 'testLdapConnection',
    method: 'post',
    path: '/ldap/test',
    summary: 'Connect with the stored settings and report what was found, or why it failed',
    tag: 'ldap',
    access: 'users.manage',
    body: LdapTestRequestSchema,
    success: { status: 200, schema: LdapTestResultSchema },
  }),
  sync: defineRoute({
    operationId: 'syncLdap',
    method: 'post',
    path: '/ldap/sync',
    summary: 'Run the directory sync now (roles, groups; disables users gone from the directory)',
    tag: 'ldap',
    access: 'users.manage',
    success: { status: 200, schema: LdapSyncSummarySchema },
    errors: [503],
  }),
};
