import { MAX_TYPED_SECRET_LENGTH } from './limits.js';
import { SecretTextSchema } from './text.js';
import { TimestampSchema } from './common.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';
import { SecondFactorProofSchema, WebAuthnOptionsSchema } from './mfa.js';

/**
 * The problem code of a sensitive action asked for with a session whose last authentication is
 * older than the step-up window: re-authenticate (POST /auth/reauth), then send the action again.
 */
export const STEP_UP_REQUIRED = 'STEP_UP_REQUIRED';

/**
 * Ways to prove who you are again: the password, and the second factors a user has (the same
 * names as a login's second step). Creating an API token asks a user who has a second factor
 * for one of those, so its STEP_UP_REQUIRED then lists no `password`.
 */
export const REAUTH_METHODS = ['password', 'totp', 'webauthn', 'recovery-code'] as const;
export const ReauthMethodSchema = z.enum(REAUTH_METHODS).openapi('ReauthMethod');
export type ReauthMethod = z.infer<typeof ReauthMethodSchema>;

const PasswordReauthSchema = z
  .object({
    method: z.literal('password'),
    password: SecretTextSchema.min(1).max(MAX_TYPED_SECRET_LENGTH),
  })
  .strict();

/** A TOTP code, a recovery code, or a passkey assertion over options from POST /auth/reauth/webauthn-options. */
const SecondFactorReauthSchema = z
  .object({
    method: z.literal('second-factor'),
    proof: SecondFactorProofSchema,
  })
  .strict();

/** One member per kind of proof, told apart by `method`. */
export const ReauthRequestSchema = z.discriminatedUnion('method', [PasswordReauthSchema, SecondFactorReauthSchema]).openapi('ReauthRequest', {
  example: { method: 'password', password: 'your password' },
});
export type ReauthRequest = z.infer<typeof ReauthRequestSchema>;

export const StepUpStatusSchema = z
  .object({
    authenticatedAt: TimestampSchema.openapi({ description: 'The session’s last login or re-authentication' }),
    freshUntil: TimestampSchema.openapi({ description: 'Until then sensitive actions go through without asking again' }),
    fresh: z.boolean(),
    secondFactorAt: TimestampSchema.nullable().openapi({
      description:
        'The session’s last proof of a second factor (login or re-authentication); creating an API token needs it within the window when the user has a factor',
    }),
    windowSeconds: z.number().int(),
    methods: z.array(ReauthMethodSchema).openapi({ description: 'How this user can re-authenticate' }),
  })
  .openapi('StepUpStatus');
export type StepUpStatus = z.infer<typeof StepUpStatusSchema>;

/** Step-up re-authentication of the current browser session (API tokens are never asked). */
export const stepUpRoutes = {
  status: defineRoute({
    operationId: 'getStepUpStatus',
    method: 'get',
    path: '/auth/step-up',
    summary: 'When this session last authenticated, and whether sensitive actions will ask again',
    tag: 'auth',
    access: 'authenticated',
    success: { status: 200, schema: StepUpStatusSchema },
  }),
  reauth: defineRoute({
    operationId: 'reauthenticate',
    method: 'post',
    path: '/auth/reauth',
    summary: 'Prove who you are again (password or a second factor); sensitive actions then go through for the step-up window',
    tag: 'auth',
    access: 'authenticated',
    body: ReauthRequestSchema,
    success: { status: 200, schema: StepUpStatusSchema },
    errors: [403, 429],
  }),
  reauthWebAuthnOptions: defineRoute({
    operationId: 'getReauthWebAuthnOptions',
    method: 'post',
    path: '/auth/reauth/webauthn-options',
    summary: 'Options to sign with one of my passkeys, for POST /auth/reauth (single use, a few minutes)',
    tag: 'auth',
    access: 'authenticated',
    success: { status: 200, schema: WebAuthnOptionsSchema },
    errors: [403],
  }),
};
