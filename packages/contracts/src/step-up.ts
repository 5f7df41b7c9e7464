import { MAX_TYPED_SECRET_LENGTH } from './limits.js';
import { SecretTextSchema } from './text.js';
import { TimestampSchema } from './common.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

/**
 * The problem code of a sensitive action asked for with a session whose last authentication is
 * older than the step-up window: re-authenticate (POST /auth/reauth), then send the action again.
 */
export const STEP_UP_REQUIRED = 'STEP_UP_REQUIRED';

/** Ways to prove who you are again; a second factor joins this list when the user has one. */
export const REAUTH_METHODS = ['password'] as const;
export const ReauthMethodSchema = z.enum(REAUTH_METHODS).openapi('ReauthMethod');
export type ReauthMethod = z.infer<typeof ReauthMethodSchema>;

const PasswordReauthSchema = z
  .object({
    method: z.literal('password'),
    password: SecretTextSchema.min(1).max(MAX_TYPED_SECRET_LENGTH),
  })
  .strict();

/** One member per method, told apart by `method`, so a second factor is one more member. */
export const ReauthRequestSchema = z.discriminatedUnion('method', [PasswordReauthSchema]).openapi('ReauthRequest', {
  example: { method: 'password', password: 'your password' },
});
export type ReauthRequest = z.infer<typeof ReauthRequestSchema>;

export const StepUpStatusSchema = z
  .object({
    authenticatedAt: TimestampSchema.openapi({ description: 'The session’s last login or re-authentication' }),
    freshUntil: TimestampSchema.openapi({ description: 'Until then sensitive actions go through without asking again' }),
    fresh: z.boolean(),
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
    summary: 'Prove who you are again (password); sensitive actions then go through for the step-up window',
    tag: 'auth',
    access: 'authenticated',
    body: ReauthRequestSchema,
    success: { status: 200, schema: StepUpStatusSchema },
    errors: [403, 429],
  }),
};
