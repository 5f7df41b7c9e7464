/** Credential policies: their rules, the default one, and which policy an account follows. */
export { createPoliciesRepo, type PoliciesRepo } from './policies.repo.js';
export { createPoliciesService, type PoliciesService } from './policies.service.js';
export { policyBindings } from './policies.routes.js';
