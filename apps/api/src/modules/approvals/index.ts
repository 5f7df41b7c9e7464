/** Approvals (dual control): rules that make a checkout or reset need another person's approval, and the requests. */
export { createApprovalsRepo, type ApprovalsRepo } from './approvals.repo.js';
export { createApprovalsService, DEFAULT_PENDING_HOURS, type ApprovalsService } from './approvals.service.js';
export { approvalBindings } from './approvals.routes.js';
