/** Operators: their accounts, roles, and the first administrator. */
export { createUsersRepo, type UsersRepo } from './users.repo.js';
export { createUsersService, type UsersService } from './users.service.js';
export { userBindings } from './users.routes.js';
export { ensureFirstAdmin } from './first-admin.js';
