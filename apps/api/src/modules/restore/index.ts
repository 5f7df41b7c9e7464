/** Restoring an older version of a credential: in the vault only, or on the target through the reset protocol. */
export { createRestoreRepo, type RestoreRepo } from './restore.repo.js';
export { createRestoreService, type RestoreService } from './restore.service.js';
export { restoreBindings } from './restore.routes.js';
