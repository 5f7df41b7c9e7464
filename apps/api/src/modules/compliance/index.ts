/** Re-assessing stored secrets against the policies their accounts follow. */
export { createComplianceRepo, type AccountScope, type ComplianceRepo } from './compliance.repo.js';
export { createComplianceService, type ComplianceReassessment, type ComplianceService } from './compliance.service.js';
