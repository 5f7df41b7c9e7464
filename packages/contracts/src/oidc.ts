import { IdSchema } from './common.js';
import { ROLES, RoleNameSchema } from './permissions.js';
import { MultiLineTextSchema, SecretTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

/** A claim's name in an ID token or userinfo response, e.g. `preferred_username` or `groups`. */
const ClaimNameSchema = SingleLineTextSchema.trim()
  .min(1)
  .max(100)
  .regex(/^[A-Za-z0-9_:./-]+$/, 'a claim name: letters, digits and _ : . / - only');

const HttpUrlSchema = SingleLineTextSchema.trim()
  .max(500)
  .refine((value) => {
    try {
      const url = new URL(value);
      return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password && !url.hash;
    } catch {
      return false;
    }
  }, 'must be an http(s) URL without user, password or #fragment');

const ClaimValueSchema = SingleLineTextSchema.min(1).max(200);

export const OidcRoleMappingSchema = z.object({ value: ClaimValueSchema, role: RoleNameSchema }).openapi('OidcRoleMapping');
export const OidcGroupMappingSchema = z.object({ value: ClaimValueSchema, groupId: IdSchema }).openapi('OidcGroupMapping');

/** The settings an administrator edits; the client secret is write-only (see the GET and PUT shapes). */
const OidcSettingsFields = {
  enabled: z.boolean(),
  providerName: SingleLineTextSchema.trim().min(1).max(60).openapi({ description: 'Shown on the login page: "Sign in with <providerName>"' }),
  issuer: z.union([HttpUrlSchema, z.literal('')]).openapi({ description: 'The issuer URL; discovery reads <issuer>/.well-known/openid-configuration' }),
  clientId: SingleLineTextSchema.trim().max(200),
  caCertificates: MultiLineTextSchema.max(65_536)
    .nullable()
    .openapi({ description: "PEM certificates to trust for the provider's https (a private CA) instead of Node's own roots; null: Node's" }),
  consoleUrl: z
    .union([HttpUrlSchema, z.literal('')])
    .openapi({ description: "PassMan's own address as browsers reach it; the redirect URI is built from it, never from a request's Host" }),
  scopes: z
    .array(SingleLineTextSchema.trim().regex(/^[\x21\x23-\x5b\x5d-\x7e]+$/, 'a scope token'))
    .min(1)
    .max(20),
  linkClaim: ClaimNameSchema.openapi({
    description: 'Claim whose value is the PassMan username a first login links to or creates (email needs email_verified)',
  }),
  roleClaim: ClaimNameSchema.nullable(),
  roleMapping: z.array(OidcRoleMappingSchema).max(100),
  /** Role of a user none of whose role-claim values is mapped; null refuses that login. */
  // The enum inline, not the Role component: a nullable reference would lose its enum in the document.
  defaultRole: z.enum(ROLES).nullable(),
  groupsClaim: ClaimNameSchema.nullable(),
  groupMapping: z.array(OidcGroupMappingSchema).max(500),
  localLoginEnabled: z.boolean(),
  breakGlassUsername: SingleLineTextSchema.trim().toLowerCase().min(2).max(64).nullable(),
  trustProviderMfa: z.boolean().openapi({ description: 'Count an SSO login as multi-factor when its amr holds one of mfaAmrValues' }),
  mfaAmrValues: z.array(SingleLineTextSchema.trim().min(1).max(40)).max(20),
};

export const OidcSettingsSchema = z
  .object({
    ...OidcSettingsFields,
    clientSecretSet: z.boolean(),
    redirectUri: z.string().nullable().openapi({ description: 'Register this at the provider; null until consoleUrl is set' }),
  })
  .openapi('OidcSettings');
export type OidcSettings = z.infer<typeof OidcSettingsSchema>;

export const UpdateOidcSettingsSchema = z
  .object({
    ...OidcSettingsFields,
    clientSecret: SecretTextSchema.min(1).max(1000).nullable().optional().openapi({ description: 'Omit to keep the stored secret, null to remove it' }),
  })
  .openapi('UpdateOidcSettings');
export type UpdateOidcSettings = z.infer<typeof UpdateOidcSettingsSchema>;

export const OidcTestResultSchema = z
  .object({
    ok: z.boolean(),
    issuer: z.string(),
    authorizationEndpoint: z.string().nullable(),
    tokenEndpoint: z.string().nullable(),
    userinfoEndpoint: z.string().nullable(),
    jwksUri: z.string().nullable(),
    error: z.string().nullable().openapi({ description: 'Why discovery failed, when it did' }),
  })
  .openapi('OidcTestResult');
export type OidcTestResult = z.infer<typeof OidcTestResultSchema>;

export const OidcTestRequestSchema = z
  .object({ issuer: HttpUrlSchema, caCertificates: MultiLineTextSchema.max(65_536).nullable().optional() })
  .openapi('OidcTestRequest');

export const LoginOptionsSchema = z
  .object({
    sso: z.object({ providerName: z.string(), loginUrl: z.string() }).nullable(),
    localLoginEnabled: z.boolean(),
  })
  .openapi('LoginOptions');
export type LoginOptions = z.infer<typeof LoginOptionsSchema>;

export const OIDC_LOGIN_PATH = '/auth/oidc/login';
export const OIDC_CALLBACK_PATH = '/auth/oidc/callback';

/** Stable codes an SSO login that failed is sent back to the console with (`/login?ssoError=`). */
export const OIDC_LOGIN_ERRORS = [
  'OIDC_NOT_CONFIGURED',
  'OIDC_STATE_INVALID',
  'OIDC_PROVIDER_ERROR',
  'OIDC_CODE_REJECTED',
  'OIDC_TOKEN_INVALID',
  'OIDC_CLAIM_MISSING',
  'OIDC_EMAIL_NOT_VERIFIED',
  'OIDC_ACCOUNT_CONFLICT',
  'OIDC_USER_DISABLED',
  'OIDC_NO_ROLE',
  'OIDC_UNAVAILABLE',
] as const;
export type OidcLoginError = (typeof OIDC_LOGIN_ERRORS)[number];

const CallbackQuerySchema = z.object({
  code: SingleLineTextSchema.max(2000).optional(),
  state: SingleLineTextSchema.max(500).optional(),
  error: SingleLineTextSchema.max(200).optional(),
  error_description: SingleLineTextSchema.max(1000).optional(),
  iss: SingleLineTextSchema.max(500).optional(),
  session_state: SingleLineTextSchema.max(500).optional(),
});

export const oidcRoutes = {
  loginOptions: defineRoute({
    operationId: 'getLoginOptions',
    method: 'get',
    path: '/auth/login-options',
    summary: 'How the login page offers to log in: single sign-on and whether local passwords are accepted',
    tag: 'auth',
    access: 'public',
    success: { status: 200, schema: LoginOptionsSchema },
  }),
  login: defineRoute({
    operationId: 'startOidcLogin',
    method: 'get',
    path: OIDC_LOGIN_PATH,
    summary: 'Start a single sign-on login: redirects the browser to the OpenID provider',
    tag: 'auth',
    access: 'public',
    success: { status: 302, description: 'Redirect to the provider (or back to /login?ssoError=CODE)' },
  }),
  callback: defineRoute({
    operationId: 'finishOidcLogin',
    method: 'get',
    path: OIDC_CALLBACK_PATH,
    summary: "The provider's redirect back: checks state, code, ID token, then logs in and redirects to the console",
    tag: 'auth',
    access: 'public',
    query: CallbackQuerySchema,
    success: { status: 302, description: 'Redirect to the console, or to /login?ssoError=CODE' },
  }),
  getSettings: defineRoute({
    operationId: 'getOidcSettings',
    method: 'get',
    path: '/settings/oidc',
    summary: 'Single sign-on settings (the client secret is never returned)',
    tag: 'settings',
    access: 'users.manage',
    success: { status: 200, schema: OidcSettingsSchema },
  }),
  putSettings: defineRoute({
    operationId: 'putOidcSettings',
    method: 'put',
    path: '/settings/oidc',
    summary: 'Replace the single sign-on settings',
    tag: 'settings',
    access: 'users.manage',
    body: UpdateOidcSettingsSchema,
    success: { status: 200, schema: OidcSettingsSchema },
    errors: [409, 503],
  }),
  testConnection: defineRoute({
    operationId: 'testOidcConnection',
    method: 'post',
    path: '/settings/oidc/test',
    summary: "Fetch the issuer's discovery document: its endpoints, or why it failed",
    tag: 'settings',
    access: 'users.manage',
    body: OidcTestRequestSchema,
    success: { status: 200, schema: OidcTestResultSchema },
  }),
};
