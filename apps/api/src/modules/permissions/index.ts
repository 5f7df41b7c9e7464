/** Who may do what on a folder, target or account: the direct, inherited and effective views, and grants. */
export { createPermissionsRepo, type PermissionsRepo } from './permissions.repo.js';
export { createPermissionsService, type PermissionsService } from './permissions.service.js';
export { permissionBindings } from './permissions.routes.js';
