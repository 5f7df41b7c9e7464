/** Installation-wide settings administrators change in the console: session timeouts and the step-up window. */
export { createSecuritySettingsRepo, type SecuritySettingsRepo } from './security-settings.repo.js';
export { createSecuritySettingsService, type SecuritySettingsService } from './security-settings.service.js';
export { securitySettingsBindings } from './security-settings.routes.js';
