/** Multi-factor authentication: TOTP and WebAuthn factors, recovery codes, the second step of a login, the MFA policy. */
export { createMfaRepo, type MfaRepo } from './mfa.repo.js';
export { createMfaService, type MfaService } from './mfa.service.js';
export { createSecondFactorService, type SecondFactorService, type ProvenMethod } from './second-factor.service.js';
export { mfaBindings } from './mfa.routes.js';
export { relyingPartyOf, type WebAuthnRelyingParty } from './webauthn.js';
export { totpSecretContext } from './totp.js';
