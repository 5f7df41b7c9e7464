/** Importing secrets from CSV, XLSX and KeePass files: dry run, the real run with its progress, the error report. */
export { createImportsRepo, type ImportsRepo } from './imports.repo.js';
export { createImportsService, type ImportsService } from './imports.service.js';
export { importBindings } from './imports.routes.js';
export { createImportRunner, IMPORT_MAX_ATTEMPTS, type ImportRunner } from './import-runner.js';
export { uploadPartContext } from './import-upload.js';
