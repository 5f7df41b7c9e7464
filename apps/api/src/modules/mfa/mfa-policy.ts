import type { MfaEnrolmentState, MfaPolicy } from '@passman/contracts';
import { MfaPolicySchema, z } from '@passman/contracts';

/** The system_settings key of the policy (JSON: MfaPolicy plus `since`). */
export const MFA_POLICY_SETTING = 'mfa.policy';

export interface StoredMfaPolicy extends MfaPolicy {
  /** When it was last set: a grace period runs from then, or from the user's creation if later. */
  since: string | null;
}

export const NO_MFA_POLICY: StoredMfaPolicy = { mode: 'off', roles: [], groupIds: [], graceDays: 7, since: null };

const StoredSchema = MfaPolicySchema.extend({ since: z.string().nullable() });

export function parseStoredPolicy(value: string | null): StoredMfaPolicy {
  if (!value) return NO_MFA_POLICY;
  const parsed = StoredSchema.safeParse(JSON.parse(value));
  // A setting nobody can read must not switch MFA off silently: require it of everyone, at once.
  return parsed.success ? parsed.data : { mode: 'everyone', roles: [], groupIds: [], graceDays: 0, since: null };
}

const DAY_MS = 86_400_000;

/** Whether the policy applies to this user, until when it may still work without a factor, and whether that time is over. */
export function enrolmentState(
  policy: StoredMfaPolicy,
  user: { roleName: string; createdAt: Date; groupIds: string[] },
  hasFactor: boolean,
  at: Date,
): MfaEnrolmentState {
  const applies =
    policy.mode === 'everyone' ||
    (policy.mode === 'selected' && (policy.roles.includes(user.roleName as never) || user.groupIds.some((g) => policy.groupIds.includes(g))));
  if (!applies || hasFactor) return { required: applies, deadline: null, enrolmentRequired: false };
  const from = Math.max(policy.since ? Date.parse(policy.since) : 0, user.createdAt.getTime());
  const deadline = new Date(from + policy.graceDays * DAY_MS);
  return { required: true, deadline: deadline.toISOString(), enrolmentRequired: deadline.getTime() <= at.getTime() };
}
