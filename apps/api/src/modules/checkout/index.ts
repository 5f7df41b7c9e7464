/** Checking a secret out to read it, and checking it back in. */
export { createCheckoutRepo, type CheckoutRepo } from './checkout.repo.js';
export { createCheckoutService, type CheckoutService } from './checkout.service.js';
