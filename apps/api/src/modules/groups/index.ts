/** User groups and their members. */
export { createGroupsRepo, type GroupsRepo } from './groups.repo.js';
export { createGroupsService, type GroupsService } from './groups.service.js';
export { groupBindings } from './groups.routes.js';
