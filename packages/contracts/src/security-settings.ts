import { TimestampSchema } from './common.js';
import { z } from './zod.js';
import { defineRoute } from './route.js';

/** Bounds of the security settings; the environment's defaults obey the same ones. */
export const SECURITY_SETTING_LIMITS = {
  sessionIdleMinutes: { min: 1, max: 24 * 60 },
  sessionMaxHours: { min: 1, max: 24 * 30 },
  /** At least a few seconds, so the action retried right after a re-authentication goes through. */
  stepUpWindowSeconds: { min: 5, max: 24 * 3600 },
} as const;

const bounded = (key: keyof typeof SECURITY_SETTING_LIMITS) => z.number().int().min(SECURITY_SETTING_LIMITS[key].min).max(SECURITY_SETTING_LIMITS[key].max);

export const SecuritySettingsSchema = z
  .object({
    sessionIdleMinutes: bounded('sessionIdleMinutes').openapi({ description: 'A session unused this long ends' }),
    sessionMaxHours: bounded('sessionMaxHours').openapi({ description: 'A session ends this long after its login, used or not' }),
    stepUpWindowSeconds: bounded('stepUpWindowSeconds').openapi({
      description: 'Sensitive actions ask for the password again once the session’s last authentication is older than this',
    }),
  })
  .openapi('SecuritySettings');
export type SecuritySettings = z.infer<typeof SecuritySettingsSchema>;

export const SecuritySettingsResponseSchema = SecuritySettingsSchema.extend({
  updatedAt: TimestampSchema.nullable().openapi({ description: 'Last change by an administrator; null: all from the environment' }),
}).openapi('SecuritySettingsResponse');
export type SecuritySettingsResponse = z.infer<typeof SecuritySettingsResponseSchema>;

export const UpdateSecuritySettingsRequestSchema = SecuritySettingsSchema.partial()
  .strict()
  .refine((v) => Object.keys(v).length > 0, { message: 'change at least one setting' })
  .openapi('UpdateSecuritySettingsRequest', { example: { sessionIdleMinutes: 15, stepUpWindowSeconds: 300 } });
export type UpdateSecuritySettingsRequest = z.infer<typeof UpdateSecuritySettingsRequestSchema>;

export const securitySettingsRoutes = {
  get: defineRoute({
    operationId: 'getSecuritySettings',
    method: 'get',
    path: '/settings/security',
    summary: 'Session timeouts and the step-up window',
    tag: 'settings',
    access: 'users.manage',
    success: { status: 200, schema: SecuritySettingsResponseSchema },
  }),
  update: defineRoute({
    operationId: 'updateSecuritySettings',
    method: 'patch',
    path: '/settings/security',
    summary: 'Change session timeouts or the step-up window (audited)',
    tag: 'settings',
    access: 'users.manage',
    body: UpdateSecuritySettingsRequestSchema,
    success: { status: 200, schema: SecuritySettingsResponseSchema },
  }),
};
