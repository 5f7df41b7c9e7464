import { startAuthentication } from '@simplewebauthn/browser';
import { stepUpRoutes, type ReauthRequest, type StepUpStatus } from '@passman/contracts';
import { api } from '@/lib/api-client';

/**
 * `POST /auth/reauth`. Not itself retried through the step-up dialog, and a wrong password or
 * code is a 403 (STEP_UP_FAILED), never a 401: the session goes on.
 */
export function reauthenticate(request: ReauthRequest): Promise<StepUpStatus> {
  return api.call(stepUpRoutes.reauth, { body: request, handleStepUp: false });
}

/** Re-authenticates with one of the user's passkeys: options from the API, the browser signs them, the API checks the assertion. */
export async function reauthenticateWithPasskey(): Promise<StepUpStatus> {
  const options = await api.call(stepUpRoutes.reauthWebAuthnOptions, { handleStepUp: false });
  const webauthn = await startAuthentication({ optionsJSON: options as never });
  return reauthenticate({ method: 'second-factor', proof: { webauthn: webauthn as never } });
}
