import { hostKeyRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { HostKeysService } from './host-keys.service.js';

export function hostKeyBindings(deps: { hostKeys: HostKeysService }) {
  return [
    bind(hostKeyRoutes.scan, ({ ctx, params }) => deps.hostKeys.scan(ctx, params.id)),
    bind(hostKeyRoutes.approve, ({ ctx, params, body }) => deps.hostKeys.approve(ctx, params.id, body.fingerprint)),
  ];
}
