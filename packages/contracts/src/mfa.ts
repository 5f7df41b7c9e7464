import { IdParamsSchema, IdSchema, NameSchema, TimestampSchema } from './common.js';
import { RoleNameSchema } from './permissions.js';
import { PendingLoginSchema, SessionResponseSchema } from './auth.js';
import { SingleLineTextSchema } from './text.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

export const MFA_FACTOR_KINDS = ['totp', 'webauthn'] as const;
export const MfaFactorKindSchema = z.enum(MFA_FACTOR_KINDS).openapi('MfaFactorKind');

/** How a second factor may be proven at login or step-up. */
export const MFA_METHODS = ['totp', 'recovery-code', 'webauthn'] as const;
export const MfaMethodSchema = z.enum(MFA_METHODS).openapi('MfaMethod');

/** Ten recovery codes are issued at a time, each shown once. */
export const RECOVERY_CODE_COUNT = 10;

export const MfaFactorSchema = z
  .object({
    id: z.uuid(),
    kind: MfaFactorKindSchema,
    name: z.string(),
    createdAt: TimestampSchema,
    lastUsedAt: TimestampSchema.nullable(),
  })
  .openapi('MfaFactor');
export type MfaFactor = z.infer<typeof MfaFactorSchema>;

export const MfaEnrolmentStateSchema = z
  .object({
    required: z.boolean().openapi({ description: 'The MFA policy applies to this user' }),
    deadline: TimestampSchema.nullable().openapi({ description: 'End of the grace period to enrol (null: no factor is required, or one is enrolled)' }),
    enrolmentRequired: z
      .boolean()
      .openapi({ description: 'The grace period is over and no factor is enrolled: every other route answers MFA_ENROLMENT_REQUIRED' }),
  })
  .openapi('MfaEnrolmentState');
export type MfaEnrolmentState = z.infer<typeof MfaEnrolmentStateSchema>;

export const MfaStatusSchema = z
  .object({
    factors: z.array(MfaFactorSchema).openapi({ description: 'Confirmed factors only' }),
    recoveryCodesLeft: z.number().int(),
    policy: MfaEnrolmentStateSchema,
  })
  .openapi('MfaStatus');
export type MfaStatus = z.infer<typeof MfaStatusSchema>;

export const TotpCodeSchema = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'six digits')
  .openapi({ example: '123456' });
/** Recovery codes are printed in groups (xxxxx-xxxxx); spaces and case are forgiven. */
export const RecoveryCodeSchema = SingleLineTextSchema.trim().min(10).max(40);

export const FactorNameSchema = NameSchema.max(100);

export const StartTotpRequestSchema = z.object({ name: FactorNameSchema.optional() }).openapi('StartTotpRequest');
export const TotpEnrolmentSchema = z
  .object({
    factorId: z.uuid(),
    secret: z.string().openapi({ description: 'Base32 key to type into an authenticator app (shown only now)' }),
    otpauthUrl: z.string(),
    qrCodeDataUrl: z.string().openapi({ description: 'PNG data: URL of a QR code of otpauthUrl' }),
  })
  .openapi('TotpEnrolment');
export type TotpEnrolment = z.infer<typeof TotpEnrolmentSchema>;

export const ConfirmTotpRequestSchema = z.object({ code: TotpCodeSchema }).openapi('ConfirmTotpRequest');

export const EnrolledFactorSchema = z
  .object({
    factor: MfaFactorSchema,
    recoveryCodes: z.array(z.string()).nullable().openapi({ description: 'Issued with the first factor; shown only now' }),
  })
  .openapi('EnrolledFactor');
export type EnrolledFactor = z.infer<typeof EnrolledFactorSchema>;

export const RecoveryCodesSchema = z.object({ codes: z.array(z.string()) }).openapi('RecoveryCodes');
export type RecoveryCodes = z.infer<typeof RecoveryCodesSchema>;

export const RenameFactorRequestSchema = z.object({ name: FactorNameSchema }).strict().openapi('RenameFactorRequest');

const B64Url = z
  .string()
  .max(16_384)
  .regex(/^[A-Za-z0-9_-]*={0,2}$/, 'base64url');

/** A WebAuthn token such as a transport (`usb`, `internal`) or an attachment (`cross-platform`). */
const WebAuthnWord = z.string().regex(/^[a-z-]{1,32}$/, 'a WebAuthn word');

/** A WebAuthn credential as @simplewebauthn/browser returns it (RegistrationResponseJSON / AuthenticationResponseJSON). */
export const WebAuthnCredentialSchema = z
  .object({
    id: B64Url,
    rawId: B64Url,
    type: z.literal('public-key'),
    response: z
      .object({
        clientDataJSON: B64Url,
        attestationObject: B64Url.optional(),
        authenticatorData: B64Url.optional(),
        signature: B64Url.optional(),
        userHandle: B64Url.optional(),
        transports: z.array(WebAuthnWord).max(10).optional(),
        publicKey: B64Url.optional(),
        publicKeyAlgorithm: z.number().int().optional(),
      })
      .passthrough(),
    authenticatorAttachment: WebAuthnWord.optional(),
    clientExtensionResults: z.record(z.string(), z.unknown()).default({}),
  })
  .openapi('WebAuthnCredential');
export type WebAuthnCredential = z.infer<typeof WebAuthnCredentialSchema>;

/** PublicKeyCredentialCreationOptionsJSON or PublicKeyCredentialRequestOptionsJSON, for @simplewebauthn/browser. */
export const WebAuthnOptionsSchema = z.object({ challenge: z.string() }).passthrough().openapi('WebAuthnOptions');
export type WebAuthnOptions = z.infer<typeof WebAuthnOptionsSchema>;

export const RegisterWebAuthnRequestSchema = z.object({ name: FactorNameSchema, credential: WebAuthnCredentialSchema }).openapi('RegisterWebAuthnRequest');
export type RegisterWebAuthnRequest = z.infer<typeof RegisterWebAuthnRequestSchema>;

/** A proof of a second factor: exactly one of a TOTP code, a recovery code or a WebAuthn assertion. */
export const SecondFactorProofSchema = z
  .object({
    totpCode: TotpCodeSchema.optional(),
    recoveryCode: RecoveryCodeSchema.optional(),
    webauthn: WebAuthnCredentialSchema.optional(),
  })
  .refine((v) => [v.totpCode, v.recoveryCode, v.webauthn].filter((x) => x !== undefined).length === 1, 'give exactly one of totpCode, recoveryCode, webauthn')
  .openapi('SecondFactorProof');
export type SecondFactorProof = z.infer<typeof SecondFactorProofSchema>;

const ChallengeTokenSchema = z
  .string()
  .min(20)
  .max(100)
  .regex(/^[A-Za-z0-9_-]+$/);

const LoginChallengeSchema = ChallengeTokenSchema.optional().openapi({
  description: 'The challenge the password step answered with; absent after single sign-on, whose challenge is in an HttpOnly cookie',
});

export const SecondFactorLoginRequestSchema = z
  .object({
    challenge: LoginChallengeSchema,
    totpCode: TotpCodeSchema.optional(),
    recoveryCode: RecoveryCodeSchema.optional(),
    webauthn: WebAuthnCredentialSchema.optional(),
  })
  .refine((v) => [v.totpCode, v.recoveryCode, v.webauthn].filter((x) => x !== undefined).length === 1, 'give exactly one of totpCode, recoveryCode, webauthn')
  .openapi('SecondFactorLoginRequest');
export type SecondFactorLoginRequest = z.infer<typeof SecondFactorLoginRequestSchema>;

export const LoginWebAuthnOptionsRequestSchema = z.object({ challenge: LoginChallengeSchema }).openapi('LoginWebAuthnOptionsRequest');

export const MFA_POLICY_MODES = ['off', 'everyone', 'selected'] as const;
export const MfaPolicySchema = z
  .object({
    mode: z.enum(MFA_POLICY_MODES).openapi({ description: 'off: optional for all; everyone; selected: the listed roles and members of the listed groups' }),
    roles: z.array(RoleNameSchema).max(10),
    groupIds: z.array(IdSchema).max(200),
    graceDays: z.number().int().min(0).max(90).openapi({ description: 'Days a user it newly applies to may still work without a factor' }),
  })
  .openapi('MfaPolicy');
export type MfaPolicy = z.infer<typeof MfaPolicySchema>;

export const MfaPolicyResponseSchema = MfaPolicySchema.extend({
  since: TimestampSchema.nullable().openapi({ description: 'When the policy was last set (grace periods count from then or from the user’s creation)' }),
}).openapi('MfaPolicyResponse');

export const UserMfaSchema = z
  .object({ factors: z.array(MfaFactorSchema), recoveryCodesLeft: z.number().int(), policy: MfaEnrolmentStateSchema })
  .openapi('UserMfa');

const FactorParamsSchema = IdParamsSchema;

/** Routes a user who must enrol may still call (the rest answer MFA_ENROLMENT_REQUIRED). */
const enrol = { duringMfaEnrolment: true } as const;

export const mfaRoutes = {
  status: defineRoute({
    operationId: 'getMfaStatus',
    method: 'get',
    path: '/mfa',
    summary: 'My second factors, recovery codes left and whether the MFA policy requires me to enrol',
    tag: 'mfa',
    access: 'authenticated',
    success: { status: 200, schema: MfaStatusSchema },
    ...enrol,
  }),
  startTotp: defineRoute({
    operationId: 'startTotpEnrolment',
    method: 'post',
    path: '/mfa/totp',
    summary: 'Start enrolling an authenticator app: a new key, as QR code and text (browser sessions only)',
    tag: 'mfa',
    access: 'authenticated',
    body: StartTotpRequestSchema,
    success: { status: 201, schema: TotpEnrolmentSchema },
    ...enrol,
  }),
  confirmTotp: defineRoute({
    operationId: 'confirmTotpEnrolment',
    method: 'post',
    path: '/mfa/totp/:id/confirm',
    summary: 'Confirm an authenticator app with its first code; the first factor also issues recovery codes',
    tag: 'mfa',
    access: 'authenticated',
    params: FactorParamsSchema,
    body: ConfirmTotpRequestSchema,
    success: { status: 200, schema: EnrolledFactorSchema },
    errors: [404, 429],
    ...enrol,
  }),
  webauthnRegistrationOptions: defineRoute({
    operationId: 'webauthnRegistrationOptions',
    method: 'post',
    path: '/mfa/webauthn/registration-options',
    summary: 'Options to create a passkey (a single-use challenge, valid a few minutes)',
    tag: 'mfa',
    access: 'authenticated',
    success: { status: 200, schema: WebAuthnOptionsSchema },
    ...enrol,
  }),
  registerWebauthn: defineRoute({
    operationId: 'registerWebauthn',
    method: 'post',
    path: '/mfa/webauthn',
    summary: 'Register a passkey or security key; the first factor also issues recovery codes',
    tag: 'mfa',
    access: 'authenticated',
    body: RegisterWebAuthnRequestSchema,
    success: { status: 201, schema: EnrolledFactorSchema },
    ...enrol,
  }),
  renameFactor: defineRoute({
    operationId: 'renameMfaFactor',
    method: 'patch',
    path: '/mfa/factors/:id',
    summary: 'Rename one of my factors',
    tag: 'mfa',
    access: 'authenticated',
    params: FactorParamsSchema,
    body: RenameFactorRequestSchema,
    success: { status: 200, schema: MfaFactorSchema },
    errors: [404],
    ...enrol,
  }),
  removeFactor: defineRoute({
    operationId: 'removeMfaFactor',
    method: 'delete',
    path: '/mfa/factors/:id',
    summary: 'Remove one of my factors (not the last one while the MFA policy requires one)',
    tag: 'mfa',
    access: 'authenticated',
    params: FactorParamsSchema,
    success: { status: 204 },
    errors: [404, 409],
    ...enrol,
  }),
  regenerateRecoveryCodes: defineRoute({
    operationId: 'regenerateRecoveryCodes',
    method: 'post',
    path: '/mfa/recovery-codes',
    summary: 'Replace my recovery codes with ten new ones (shown only now)',
    tag: 'mfa',
    access: 'authenticated',
    success: { status: 200, schema: RecoveryCodesSchema },
    errors: [409],
    ...enrol,
  }),
  getPolicy: defineRoute({
    operationId: 'getMfaPolicy',
    method: 'get',
    path: '/mfa/policy',
    summary: 'Who must use a second factor',
    tag: 'mfa',
    access: 'users.manage',
    success: { status: 200, schema: MfaPolicyResponseSchema },
  }),
  setPolicy: defineRoute({
    operationId: 'setMfaPolicy',
    method: 'put',
    path: '/mfa/policy',
    summary: 'Set who must use a second factor, and the grace period to enrol',
    tag: 'mfa',
    access: 'users.manage',
    body: MfaPolicySchema,
    success: { status: 200, schema: MfaPolicyResponseSchema },
  }),
};

export const loginMfaRoutes = {
  pending: defineRoute({
    operationId: 'getPendingLogin',
    method: 'get',
    path: '/auth/login/pending',
    summary: 'The second step a single sign-on login waits for: how the user can prove a second factor',
    tag: 'auth',
    access: 'public',
    success: { status: 200, schema: PendingLoginSchema },
    errors: [401],
  }),
  webauthnOptions: defineRoute({
    operationId: 'loginWebauthnOptions',
    method: 'post',
    path: '/auth/login/webauthn-options',
    summary: 'Second step of a login: options to sign with a passkey (needs the login challenge)',
    tag: 'auth',
    access: 'public',
    body: LoginWebAuthnOptionsRequestSchema,
    success: { status: 200, schema: WebAuthnOptionsSchema },
    errors: [401, 429],
  }),
  secondFactor: defineRoute({
    operationId: 'loginSecondFactor',
    method: 'post',
    path: '/auth/login/second-factor',
    summary: 'Second step of a login: a TOTP code, a recovery code or a passkey assertion; sets the session cookie',
    tag: 'auth',
    access: 'public',
    body: SecondFactorLoginRequestSchema,
    success: { status: 200, schema: SessionResponseSchema },
    errors: [401, 429],
  }),
};

export const userMfaRoutes = {
  get: defineRoute({
    operationId: 'getUserMfa',
    method: 'get',
    path: '/users/:id/mfa',
    summary: "A user's second factors",
    tag: 'users',
    access: 'users.manage',
    params: IdParamsSchema,
    success: { status: 200, schema: UserMfaSchema },
    errors: [404],
  }),
  reset: defineRoute({
    operationId: 'resetUserMfa',
    method: 'delete',
    path: '/users/:id/mfa',
    summary: "Remove every second factor and recovery code of a user (they enrol again); ends the user's sessions",
    tag: 'users',
    access: 'users.manage',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404],
  }),
};
