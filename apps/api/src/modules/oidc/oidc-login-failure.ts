import type { OidcLoginError } from '@passman/contracts';

/** A refused SSO login: a stable code for the console and a reason for the audit trail (never a token). */
export class OidcLoginFailure extends Error {
  constructor(
    readonly code: OidcLoginError,
    readonly reason: string,
  ) {
    super(reason);
    this.name = 'OidcLoginFailure';
  }
}
