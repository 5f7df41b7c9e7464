import { IdParamsSchema, NameSchema, pageOf, PageQuerySchema, TimestampSchema } from './common.js';
import {
  EXCLUDED_CHARS_PATTERN,
  MAX_EXCLUDED_CHARS_LENGTH,
  PIN_MAX_DIGITS,
  PIN_MIN_DIGITS,
  POLICY_DEFAULTS,
  POLICY_PASSWORD_MAX_LENGTH,
  POLICY_PASSWORD_MIN_LENGTH,
  SSH_KEY_BITS,
  SSH_KEY_TYPES,
} from './limits.js';
import { defineRoute } from './route.js';
import { MultiLineTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

export const SshKeyTypeSchema = z.enum(SSH_KEY_TYPES).openapi('SshKeyType', {
  description: 'ssh-rsa is the default; ssh-dss is legacy (weak) and only for hosts that still need it',
});
export type { SshKeyType } from './limits.js';

export { SSH_KEY_BITS } from './limits.js';

const policyFields = {
  name: NameSchema.max(100),
  description: MultiLineTextSchema.max(2000),
  isDefault: z.boolean(),
  passwordLength: z.number().int().min(POLICY_PASSWORD_MIN_LENGTH).max(POLICY_PASSWORD_MAX_LENGTH),
  useLowercase: z.boolean(),
  useUppercase: z.boolean(),
  useDigits: z.boolean(),
  useSymbols: z.boolean(),
  minLowercase: z.number().int().min(0).max(POLICY_PASSWORD_MAX_LENGTH),
  minUppercase: z.number().int().min(0).max(POLICY_PASSWORD_MAX_LENGTH),
  minDigits: z.number().int().min(0).max(POLICY_PASSWORD_MAX_LENGTH),
  minSymbols: z.number().int().min(0).max(POLICY_PASSWORD_MAX_LENGTH),
  excludedChars: SingleLineTextSchema.max(MAX_EXCLUDED_CHARS_LENGTH)
    .regex(EXCLUDED_CHARS_PATTERN, 'printable ASCII characters only')
    .openapi({ pattern: EXCLUDED_CHARS_PATTERN.source }),
  avoidAmbiguous: z.boolean().openapi({ description: 'Leave out look-alikes such as 0 O 1 l I |' }),
  pinLength: z.number().int().min(PIN_MIN_DIGITS).max(PIN_MAX_DIGITS),
  sshKeyType: SshKeyTypeSchema,
  sshKeyBits: z.number().int().nullable().openapi({ description: 'RSA: 2048, 3072 or 4096; other types have one size' }),
  rotationIntervalDays: z.number().int().min(1).max(3650).nullable(),
  checkoutExclusive: z.boolean(),
  checkoutMaxMinutes: z.number().int().min(1).max(10_080).nullable(),
  resetAfterCheckin: z.boolean(),
};

type PolicyShape = { [K in keyof typeof policyFields]?: z.infer<(typeof policyFields)[K]> };

/** Rules across fields; applied to the merged result of an update too (see policies.service.ts). */
export function policyIssues(p: PolicyShape): { path: string; message: string }[] {
  const issues: { path: string; message: string }[] = [];
  const classes = [
    ['Lowercase', p.useLowercase, p.minLowercase],
    ['Uppercase', p.useUppercase, p.minUppercase],
    ['Digits', p.useDigits, p.minDigits],
    ['Symbols', p.useSymbols, p.minSymbols],
  ] as const;
  if (classes.every(([, on]) => on === false)) issues.push({ path: 'useLowercase', message: 'enable at least one character class' });
  for (const [name, on, min] of classes) {
    if (on === false && (min ?? 0) > 0) issues.push({ path: `min${name}`, message: `must be 0 while use${name} is off` });
  }
  const minimum = classes.reduce((sum, [, on, min]) => sum + (on === false ? 0 : (min ?? 0)), 0);
  if (p.passwordLength !== undefined && minimum > p.passwordLength) {
    issues.push({ path: 'passwordLength', message: `must be at least the sum of the minimums (${minimum})` });
  }
  if (p.sshKeyType && p.sshKeyBits !== undefined && p.sshKeyBits !== null && !SSH_KEY_BITS[p.sshKeyType].includes(p.sshKeyBits)) {
    issues.push({ path: 'sshKeyBits', message: `${p.sshKeyType} keys can be ${SSH_KEY_BITS[p.sshKeyType].join(', ')} bits` });
  }
  return issues;
}

function withRules<T extends z.ZodType<PolicyShape>>(schema: T): T {
  return schema.superRefine((value, ctx) => {
    for (const issue of policyIssues(value)) ctx.addIssue({ code: 'custom', path: [issue.path], message: issue.message });
  }) as unknown as T;
}

export const PolicySchema = z
  .object({ id: z.uuid(), ...policyFields, accountCount: z.number().int(), createdAt: TimestampSchema, updatedAt: TimestampSchema })
  .openapi('Policy');
export type Policy = z.infer<typeof PolicySchema>;

export const CreatePolicyRequestSchema = withRules(
  z
    .object({
      name: policyFields.name,
      description: policyFields.description.default(POLICY_DEFAULTS.description),
      isDefault: policyFields.isDefault.default(POLICY_DEFAULTS.isDefault),
      passwordLength: policyFields.passwordLength.default(POLICY_DEFAULTS.passwordLength),
      useLowercase: policyFields.useLowercase.default(POLICY_DEFAULTS.useLowercase),
      useUppercase: policyFields.useUppercase.default(POLICY_DEFAULTS.useUppercase),
      useDigits: policyFields.useDigits.default(POLICY_DEFAULTS.useDigits),
      useSymbols: policyFields.useSymbols.default(POLICY_DEFAULTS.useSymbols),
      minLowercase: policyFields.minLowercase.default(POLICY_DEFAULTS.minLowercase),
      minUppercase: policyFields.minUppercase.default(POLICY_DEFAULTS.minUppercase),
      minDigits: policyFields.minDigits.default(POLICY_DEFAULTS.minDigits),
      minSymbols: policyFields.minSymbols.default(POLICY_DEFAULTS.minSymbols),
      excludedChars: policyFields.excludedChars.default(POLICY_DEFAULTS.excludedChars),
      avoidAmbiguous: policyFields.avoidAmbiguous.default(POLICY_DEFAULTS.avoidAmbiguous),
      pinLength: policyFields.pinLength.default(POLICY_DEFAULTS.pinLength),
      sshKeyType: policyFields.sshKeyType.default(POLICY_DEFAULTS.sshKeyType),
      sshKeyBits: policyFields.sshKeyBits.default(POLICY_DEFAULTS.sshKeyBits),
      rotationIntervalDays: policyFields.rotationIntervalDays.default(POLICY_DEFAULTS.rotationIntervalDays),
      checkoutExclusive: policyFields.checkoutExclusive.default(POLICY_DEFAULTS.checkoutExclusive),
      checkoutMaxMinutes: policyFields.checkoutMaxMinutes.default(POLICY_DEFAULTS.checkoutMaxMinutes),
      resetAfterCheckin: policyFields.resetAfterCheckin.default(POLICY_DEFAULTS.resetAfterCheckin),
    })
    .strict(),
).openapi('CreatePolicyRequest', { example: { name: 'Linux servers', passwordLength: 24, rotationIntervalDays: 90 } });
export type CreatePolicyRequest = z.infer<typeof CreatePolicyRequestSchema>;

export const UpdatePolicyRequestSchema = z
  .object(policyFields)
  .partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, 'nothing to update')
  .openapi('UpdatePolicyRequest');
export type UpdatePolicyRequest = z.infer<typeof UpdatePolicyRequestSchema>;

export const PolicyPageSchema = pageOf(PolicySchema, 'PolicyPage');

export const policyRoutes = {
  list: defineRoute({
    operationId: 'listPolicies',
    method: 'get',
    path: '/policies',
    summary: 'Credential policies, by name',
    tag: 'policies',
    access: 'policies.view',
    query: PageQuerySchema,
    success: { status: 200, schema: PolicyPageSchema },
  }),
  create: defineRoute({
    operationId: 'createPolicy',
    method: 'post',
    path: '/policies',
    summary: 'Create a policy (isDefault: true makes it the default)',
    tag: 'policies',
    access: 'policies.manage',
    body: CreatePolicyRequestSchema,
    success: { status: 201, schema: PolicySchema },
    errors: [409, 503],
  }),
  get: defineRoute({
    operationId: 'getPolicy',
    method: 'get',
    path: '/policies/:id',
    summary: 'One policy',
    tag: 'policies',
    access: 'policies.view',
    params: IdParamsSchema,
    success: { status: 200, schema: PolicySchema },
    errors: [404],
  }),
  update: defineRoute({
    operationId: 'updatePolicy',
    method: 'patch',
    path: '/policies/:id',
    summary: 'Change a policy; a change of its rules re-assesses the compliance of the accounts that follow it',
    tag: 'policies',
    access: 'policies.manage',
    params: IdParamsSchema,
    body: UpdatePolicyRequestSchema,
    success: { status: 200, schema: PolicySchema },
    errors: [404, 409, 503],
  }),
  delete: defineRoute({
    operationId: 'deletePolicy',
    method: 'delete',
    path: '/policies/:id',
    summary: 'Delete a policy (not the default); its accounts fall back to the default and are re-assessed against it',
    tag: 'policies',
    access: 'policies.manage',
    params: IdParamsSchema,
    success: { status: 204 },
    errors: [404, 409, 503],
  }),
};
