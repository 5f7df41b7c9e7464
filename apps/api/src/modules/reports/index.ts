/** Reports over the audit trail, the accounts and the host keys, as JSON pages or streamed CSV, limited to what the caller may see. */
export { createReportsRepo, type ReportsRepo } from './reports.repo.js';
export { createReportsService, type ReportsService } from './reports.service.js';
export { reportBindings } from './reports.routes.js';
export { CSV_COLUMNS } from './reports.columns.js';
export { csvCell, sendCsv } from './csv.js';
