import { permissionRoutes, VAULT_OBJECT_TYPES } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { PermissionsService } from './permissions.service.js';

export function permissionBindings(deps: { permissions: PermissionsService }) {
  return VAULT_OBJECT_TYPES.flatMap((type) => {
    const routes = permissionRoutes[type];
    return [
      bind(routes.get, ({ ctx, params }) => deps.permissions.direct(ctx, { type, id: params.id })),
      bind(routes.set, ({ ctx, params, body }) => deps.permissions.set(ctx, { type, id: params.id }, body)),
      bind(routes.effective, ({ ctx, params }) => deps.permissions.effective(ctx, { type, id: params.id })),
    ];
  });
}
