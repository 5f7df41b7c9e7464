/** The tamper-evident audit trail: recording, listing, verifying and checkpointing it. */
export { createAuditRepo, type AuditDetails, type AuditRepo } from './audit.repo.js';
export { createAuditService, type AuditRecord, type AuditService } from './audit.service.js';
export { auditBindings } from './audit.routes.js';
export { openAuditKeys, rewrapAuditKey, type AuditKeys } from './audit-key.js';
export { startAuditCheckpointer, type AuditCheckpointer, type CheckpointOptions } from './audit-checkpointer.js';
