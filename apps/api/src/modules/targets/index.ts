/** Target hosts and how PassMan reaches them. */
export { createTargetsRepo, hostKeyPendingSql, type TargetsRepo } from './targets.repo.js';
export { createTargetsService, type TargetsService } from './targets.service.js';
export { targetBindings } from './targets.routes.js';
