import { GRANT_EFFECTS, PRINCIPAL_TYPES, VAULT_ACTIONS, VAULT_OBJECT_TYPES } from './vault-rights.js';
import { z } from './zod.js';

export const VaultActionSchema = z.enum(VAULT_ACTIONS).openapi('VaultAction', {
  description:
    'A right on a folder, target or account: view (see it and its metadata), checkout (reveal a secret), check, reset, ' +
    'update (edit a credential in the vault), manage (create, edit, move, delete the objects below), manage_permissions, ' +
    'approve (decide others’ approval requests for a checkout or reset)',
});
export const GrantEffectSchema = z.enum(GRANT_EFFECTS).openapi('GrantEffect', { description: 'DENY wins over ALLOW at any level of the tree' });
export const VaultObjectTypeSchema = z.enum(VAULT_OBJECT_TYPES).openapi('VaultObjectType');
export const PrincipalTypeSchema = z.enum(PRINCIPAL_TYPES).openapi('PrincipalType');

/** The caller's effective rights on an object, so a console shows only the actions that will be allowed. */
export const MyRightsSchema = z.array(VaultActionSchema).openapi('MyRights', {
  description: 'The caller’s effective rights on this object (their grants and their role’s); the server still decides each request',
});
