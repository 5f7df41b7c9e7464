import type { VaultObjectType } from '@passman/contracts';

/** Every query key of permissions: a change on one object can change what is inherited below it, so writes invalidate `all`. */
export const permissionKeys = {
  all: ['permissions'] as const,
  direct: (type: VaultObjectType, id: string) => [...permissionKeys.all, type, id, 'direct'] as const,
  effective: (type: VaultObjectType, id: string) => [...permissionKeys.all, type, id, 'effective'] as const,
};
