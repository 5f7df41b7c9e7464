/** The folders of the vault tree and its root, the Vault. */
export { createFoldersRepo, type FoldersRepo } from './folders.repo.js';
export { createFoldersService, type FoldersService } from './folders.service.js';
export { folderBindings } from './folders.routes.js';
