/** Logins, sessions and API tokens turned into an actor; password hashing and the login throttle. */
export { createAuthRepo, type AuthRepo } from './auth.repo.js';
export { createAuthService, type AuthService, type SessionPolicy } from './auth.service.js';
export { authBindings } from './auth.routes.js';
export { createLoginThrottle, throttleSubject, type LoginThrottle } from './login-throttle.js';
export { createPasswordHasher, type PasswordHasher } from './password-hasher.js';
export { createSessionCache, type SessionCache } from './session-cache.js';
export { LOCAL_ONLY, type PrimaryAuthenticator, type PrimaryOutcome } from './primary-authenticator.js';
