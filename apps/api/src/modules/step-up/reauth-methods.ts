import type { ReauthMethod, ReauthRequest, SecondFactorProof, WebAuthnOptions } from '@passman/contracts';
import type { Tx } from '../../db/transaction.js';
import type { RequestContext } from '../../lib/actor.js';
import { AppError } from '../../lib/app-error.js';
import type { PasswordHasher } from '../auth/index.js';

export interface ReauthUser {
  id: string;
  passwordHash: string;
}

export type SecondFactorMethod = Exclude<ReauthMethod, 'password'>;

/** What step-up needs of the second factors (modules/mfa's second-factor service). */
export interface SecondFactorVerifier {
  methodsOf(userId: string, tx?: Tx): Promise<SecondFactorMethod[]>;
  verifySecondFactor(ctx: RequestContext, userId: string, proof: SecondFactorProof): Promise<SecondFactorMethod>;
  stepUpWebAuthnOptions(userId: string): Promise<WebAuthnOptions>;
}

/**
 * The one place that knows how each re-authentication method is checked: the password here,
 * a second factor by the MFA module's verifier (which spends the code or passkey challenge,
 * throttles and audits its own failures).
 */
export function createReauthMethods(deps: { hasher: PasswordHasher; secondFactor: SecondFactorVerifier }) {
  return {
    /** The method proven, or null when the proof is wrong. A RATE_LIMITED from the verifier passes through. */
    async verify(ctx: RequestContext, user: ReauthUser, request: ReauthRequest): Promise<ReauthMethod | null> {
      switch (request.method) {
        case 'password':
          return (await deps.hasher.verify(user.passwordHash, request.password)) ? 'password' : null;
        case 'second-factor':
          try {
            return await deps.secondFactor.verifySecondFactor(ctx, user.id, request.proof);
          } catch (error) {
            if (error instanceof AppError && error.code === 'MFA_CODE_INVALID') return null;
            throw error;
          }
      }
    },

    /** The second factors this user can prove (none: the user has no confirmed factor). */
    /** The methods this user can re-authenticate with (the console offers these): the password, then any second factors. In `tx` when given. */
    async methodsOf(userId: string, tx?: Tx): Promise<ReauthMethod[]> {
      return ['password', ...(await deps.secondFactor.methodsOf(userId, tx))];
    },

    webAuthnOptions: (userId: string) => deps.secondFactor.stepUpWebAuthnOptions(userId),
  };
}

export type ReauthMethods = ReturnType<typeof createReauthMethods>;
