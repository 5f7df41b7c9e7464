/** OpenID Connect single sign-on: its settings, the login flow, and the rule that can turn local passwords off. */
export { createOidcRepo, type OidcRepo } from './oidc.repo.js';
export { createOidcSettingsStore, rewrapOidcClientSecret } from './oidc-settings.js';
export { createOidcSettingsService, type OidcSettingsService } from './oidc-settings.service.js';
export { createOidcLoginService, type OidcLoginService } from './oidc-login.service.js';
export { oidcBindings } from './oidc.routes.js';
