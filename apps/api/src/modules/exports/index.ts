/** Exports: account metadata as CSV, and secrets as an encrypted KeePass file (a checkout of each account). */
export { createExportsRepo, type ExportsRepo } from './exports.repo.js';
export { createExportsService, type ExportsService } from './exports.service.js';
export { exportBindings } from './exports.routes.js';
