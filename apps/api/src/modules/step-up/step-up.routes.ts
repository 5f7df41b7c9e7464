import { stepUpRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { StepUpService } from './step-up.service.js';

export function stepUpBindings(deps: { stepUp: StepUpService }) {
  return [
    bind(stepUpRoutes.status, ({ ctx }) => deps.stepUp.status(ctx)),
    bind(stepUpRoutes.reauth, ({ ctx, body }) => deps.stepUp.reauthenticate(ctx, body)),
    bind(stepUpRoutes.reauthWebAuthnOptions, ({ ctx }) => deps.stepUp.webAuthnOptions(ctx)),
  ];
}
