import { securitySettingsRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { StepUpGuard } from '../step-up/index.js';
import type { SecuritySettingsService } from './security-settings.service.js';

export function securitySettingsBindings(deps: { securitySettings: SecuritySettingsService; stepUp: StepUpGuard }) {
  return [
    bind(securitySettingsRoutes.get, () => deps.securitySettings.get()),
    // Guarded here, not in the service: the step-up rule itself reads the window from that service.
    bind(securitySettingsRoutes.update, async ({ ctx, body }) => {
      await deps.stepUp.require(ctx);
      return deps.securitySettings.update(ctx, body);
    }),
  ];
}
