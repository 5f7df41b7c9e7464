import type { ReauthMethod, ReauthRequest } from '@passman/contracts';
import type { PasswordHasher } from '../auth/index.js';

export interface ReauthUser {
  id: string;
  passwordHash: string;
}

/**
 * The one place that knows how each re-authentication method is checked. A second factor
 * (TOTP, passkey) plugs in here: a member of ReauthRequest in the contracts, a case below that
 * calls the second-factor verifier, and its name in `reauthMethodsOf` for users who have one.
 */
export function createReauthMethods(deps: { hasher: PasswordHasher }) {
  return {
    async verify(user: ReauthUser, request: ReauthRequest): Promise<boolean> {
      switch (request.method) {
        case 'password':
          return deps.hasher.verify(user.passwordHash, request.password);
      }
    },

    /** The methods this user can re-authenticate with (the console offers these). */
    async methodsOf(_userId: string): Promise<ReauthMethod[]> {
      return ['password'];
    },
  };
}

export type ReauthMethods = ReturnType<typeof createReauthMethods>;
