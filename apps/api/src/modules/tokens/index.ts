/** API tokens for integrations. */
export { createTokensRepo, type TokensRepo } from './tokens.repo.js';
export { createTokensService, type TokensService } from './tokens.service.js';
export { tokenBindings } from './tokens.routes.js';
