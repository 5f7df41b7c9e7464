import type { RoleName } from '@passman/contracts';
import type { StoredOidcSettings } from './oidc-settings.js';

export type Claims = Record<string, unknown>;

/**
 * The values of a claim as a list of strings: a string is one value, an array its string items.
 * A name with dots that is not itself a claim is followed as a path (Keycloak puts realm roles in
 * `realm_access.roles`).
 */
export function claimValues(claims: Claims, name: string): string[] {
  let value: unknown = claims[name];
  if (value === undefined && name.includes('.')) {
    value = name.split('.').reduce<unknown>((at, part) => (at && typeof at === 'object' && !Array.isArray(at) ? (at as Claims)[part] : undefined), claims);
  }
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** Highest first: a person whose claim maps to several roles gets the one that grants most. */
const ROLE_RANK: RoleName[] = ['admin', 'operator', 'auditor'];

/**
 * The role the claims give: the highest mapped one, else the default; `unchanged` when no role
 * claim is configured (the user keeps the role it has; a new user gets the default).
 */
export function roleFromClaims(claims: Claims, settings: StoredOidcSettings): RoleName | null | 'unchanged' {
  if (!settings.roleClaim) return 'unchanged';
  const values = new Set(claimValues(claims, settings.roleClaim));
  const mapped = new Set(settings.roleMapping.filter((m) => values.has(m.value)).map((m) => m.role));
  return ROLE_RANK.find((role) => mapped.has(role)) ?? settings.defaultRole;
}

/** The mapped groups the user belongs in, and every group the mapping manages (others are left alone). */
export function groupsFromClaims(claims: Claims, settings: StoredOidcSettings): { wanted: Set<string>; managed: Set<string> } {
  const managed = new Set(settings.groupMapping.map((m) => m.groupId));
  if (!settings.groupsClaim) return { wanted: new Set(), managed: new Set() };
  const values = new Set(claimValues(claims, settings.groupsClaim));
  return { wanted: new Set(settings.groupMapping.filter((m) => values.has(m.value)).map((m) => m.groupId)), managed };
}

/**
 * Whether the provider says the person used more than one factor. Only when an administrator
 * chose to trust it: `amr` (RFC 8176 values such as `mfa`, `otp`, `hwk`) holding one of the
 * accepted values. The two-step login reads this to skip PassMan's own second factor.
 */
export function mfaAtProvider(claims: Claims, settings: Pick<StoredOidcSettings, 'trustProviderMfa' | 'mfaAmrValues'>): boolean {
  if (!settings.trustProviderMfa) return false;
  const amr = claimValues(claims, 'amr');
  return amr.some((value) => settings.mfaAmrValues.includes(value));
}
