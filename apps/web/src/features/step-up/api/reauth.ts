import { stepUpRoutes, type ReauthRequest, type StepUpStatus } from '@passman/contracts';
import { api } from '@/lib/api-client';

/**
 * `POST /auth/reauth`. Not itself retried through the step-up dialog, and a wrong password is a
 * 403 (STEP_UP_FAILED), never a 401: the session goes on.
 */
export function reauthenticate(request: ReauthRequest): Promise<StepUpStatus> {
  return api.call(stepUpRoutes.reauth, { body: request, handleStepUp: false });
}
