/** Step-up re-authentication before sensitive actions: the guard, POST /auth/reauth and its methods. */
export { createStepUpRepo, type StepUpRepo } from './step-up.repo.js';
export { createStepUpService, type StepUpGuard, type StepUpService } from './step-up.service.js';
export { createReauthMethods, type ReauthMethods } from './reauth-methods.js';
export { stepUpBindings } from './step-up.routes.js';
