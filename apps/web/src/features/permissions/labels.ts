import type { GrantEffect, PrincipalType, VaultAction, VaultObjectType } from '@passman/contracts';
import { t } from '@/i18n';

export const actionLabel = (action: VaultAction) => t(`permissions.action.${action}`);
export const effectLabel = (effect: GrantEffect) => t(`permissions.effect.${effect}`);
export const objectTypeLabel = (type: VaultObjectType) => t(`permissions.object.${type}`);
export const principalLabel = (p: { type: PrincipalType; name: string }) => t(`permissions.principal.${p.type}`, { name: p.name });
