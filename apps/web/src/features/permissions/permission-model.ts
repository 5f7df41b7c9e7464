import { VAULT_ACTIONS, type EffectivePermissions, type Grant, type GrantEffect, type GrantInput, type Principal, type VaultAction } from '@passman/contracts';

/*
 * The Permissions tab's reading of the three permission views. PUT replaces an object's direct
 * grants as a whole, so adding or removing one sends the list as it is with that one change.
 */

export const principalKey = (p: Pick<Principal, 'type' | 'id'>) => `${p.type}:${p.id}`;

function inputOf(grant: Grant): GrantInput {
  return { principal: { type: grant.principal.type, id: grant.principal.id }, action: grant.action, effect: grant.effect };
}

/**
 * The direct grants with `added` among them. The API keeps one grant per principal and action,
 * so a new effect for a pair already granted replaces the old one instead of being refused.
 */
export function grantsWith(grants: readonly Grant[], added: GrantInput): GrantInput[] {
  const key = `${principalKey(added.principal)}:${added.action}`;
  return [...grants.filter((g) => `${principalKey(g.principal)}:${g.action}` !== key).map(inputOf), added];
}

/** The direct grants without the one of `grantId`. */
export function grantsWithout(grants: readonly Grant[], grantId: string): GrantInput[] {
  return grants.filter((g) => g.id !== grantId).map(inputOf);
}

const actionOrder = (action: VaultAction) => VAULT_ACTIONS.indexOf(action);
const byPrincipal = (a: Principal, b: Principal) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name);

/** Direct grants in a stable order: by whom (groups, then users, by name), then by right. */
export function sortGrants(grants: readonly Grant[]): Grant[] {
  return [...grants].sort((a, b) => byPrincipal(a.principal, b.principal) || actionOrder(a.action) - actionOrder(b.action));
}

export interface InheritedGrant {
  grantId: string;
  object: EffectivePermissions['object'];
  principal: Principal;
  action: VaultAction;
  effect: GrantEffect;
}

/**
 * The grants made on an ancestor (a folder above, or for an account its target) that reach this
 * object. The effective view lists each grant once per principal it reaches (a group's grant under
 * the group and under each member, `via` the group), so they are gathered by grant.
 */
export function inheritedGrants(effective: EffectivePermissions): InheritedGrant[] {
  const seen = new Map<string, InheritedGrant>();
  for (const { rights } of effective.principals) {
    for (const right of rights) {
      for (const from of right.from) {
        if (from.inherited && !seen.has(from.grantId)) {
          seen.set(from.grantId, { grantId: from.grantId, object: from.object, principal: from.via, action: right.action, effect: from.effect });
        }
      }
    }
  }
  return [...seen.values()].sort((a, b) => byPrincipal(a.principal, b.principal) || actionOrder(a.action) - actionOrder(b.action));
}

export interface EffectiveRow {
  principal: Principal;
  action: VaultAction;
  allowed: boolean;
  /** Whether a DENY decided it (else nothing allowed it). */
  denied: boolean;
  from: EffectivePermissions['principals'][number]['rights'][number]['from'];
}

/** One row per principal and right that some grant reaches: allowed, or denied and by what. Rights nobody granted are left out. */
export function effectiveRows(effective: EffectivePermissions): EffectiveRow[] {
  const rows: EffectiveRow[] = [];
  const principals = [...effective.principals].sort((a, b) => byPrincipal(a.principal, b.principal));
  for (const { principal, rights } of principals) {
    for (const right of [...rights].sort((a, b) => actionOrder(a.action) - actionOrder(b.action))) {
      if (right.from.length === 0) continue;
      rows.push({ principal, action: right.action, allowed: right.allowed, denied: right.from.some((f) => f.effect === 'DENY'), from: right.from });
    }
  }
  return rows;
}
