import { securitySettingsRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { SecuritySettingsService } from './security-settings.service.js';

export function securitySettingsBindings(deps: { securitySettings: SecuritySettingsService }) {
  return [
    bind(securitySettingsRoutes.get, () => deps.securitySettings.get()),
    bind(securitySettingsRoutes.update, ({ ctx, body }) => deps.securitySettings.update(ctx, body)),
  ];
}
