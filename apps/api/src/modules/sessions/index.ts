/** An operator's own sessions: listing and ending them. */
export { createSessionsRepo, type SessionsRepo } from './sessions.repo.js';
export { createSessionsService, type SessionsService } from './sessions.service.js';
export { sessionBindings } from './sessions.routes.js';
