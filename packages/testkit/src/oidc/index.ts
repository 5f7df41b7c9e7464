export { startTestOidcProvider, type TestOidcProvider, type TestAccountClaims } from './test-oidc-provider.js';
