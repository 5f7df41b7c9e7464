import { TimestampSchema } from './common.js';
import { PermissionSchema, RoleNameSchema } from './permissions.js';
import { MAX_TYPED_SECRET_LENGTH } from './limits.js';
import { SecretTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

export const LoginRequestSchema = z
  .object({
    username: SingleLineTextSchema.trim().min(1).max(64),
    password: SecretTextSchema.min(1).max(MAX_TYPED_SECRET_LENGTH),
  })
  .openapi('LoginRequest');
export type LoginRequest = z.infer<typeof LoginRequestSchema>;

export const CurrentUserSchema = z
  .object({
    id: z.uuid(),
    username: z.string(),
    displayName: z.string(),
    role: RoleNameSchema,
    permissions: z.array(PermissionSchema),
  })
  .openapi('CurrentUser');
export type CurrentUser = z.infer<typeof CurrentUserSchema>;

export const SessionResponseSchema = z
  .object({
    user: CurrentUserSchema,
    csrfToken: z.string().nullable().openapi({ description: 'Send as X-CSRF-Token on unsafe methods (null for bearer tokens)' }),
  })
  .openapi('Session');
export type SessionResponse = z.infer<typeof SessionResponseSchema>;

export const MfaLoginChallengeSchema = z
  .object({
    mfaRequired: z.literal(true),
    challenge: z.string().openapi({ description: 'Send back with the second factor; single use, expires in a few minutes' }),
    methods: z.array(z.enum(['totp', 'recovery-code', 'webauthn'])),
    expiresAt: TimestampSchema,
  })
  .openapi('MfaLoginChallenge');
export type MfaLoginChallenge = z.infer<typeof MfaLoginChallengeSchema>;

/**
 * The second step a single sign-on login is waiting for. Its challenge is never shown: it stays
 * in an HttpOnly cookie the provider's redirect back set, so no script and no URL ever holds it.
 */
export const PendingLoginSchema = MfaLoginChallengeSchema.omit({ challenge: true }).openapi('PendingLogin');
export type PendingLogin = z.infer<typeof PendingLoginSchema>;

/** A login answers with a session, or, for a user with a second factor, with the challenge of the second step. */
export const LoginResponseSchema = z.union([SessionResponseSchema, MfaLoginChallengeSchema]).openapi('LoginResponse');
export type LoginResponse = z.infer<typeof LoginResponseSchema>;

export const authRoutes = {
  login: defineRoute({
    operationId: 'login',
    method: 'post',
    path: '/auth/login',
    summary: 'Log in; sets the session cookie and returns the CSRF token, or asks for the second factor (POST /auth/login/second-factor)',
    tag: 'auth',
    access: 'public',
    body: LoginRequestSchema,
    success: { status: 200, schema: LoginResponseSchema },
    // 503 LDAP_UNAVAILABLE: the directory cannot answer (directory users cannot sign in then).
    errors: [429, 503],
  }),
  logout: defineRoute({
    operationId: 'logout',
    method: 'post',
    path: '/auth/logout',
    summary: 'End the current session',
    tag: 'auth',
    access: 'authenticated',
    duringMfaEnrolment: true,
    success: { status: 204 },
  }),
  me: defineRoute({
    operationId: 'me',
    method: 'get',
    path: '/auth/me',
    summary: 'The logged-in user, its permissions and the CSRF token',
    tag: 'auth',
    access: 'authenticated',
    duringMfaEnrolment: true,
    success: { status: 200, schema: SessionResponseSchema },
  }),
};
