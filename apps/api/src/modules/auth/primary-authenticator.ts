import type { RequestContext } from '../../lib/actor.js';

/**
 * Where a login's password is checked, when it is not against the local hash: an outside
 * directory (LDAP) plugs in here. It decides first; `local` hands the login back to the local
 * password check (local users, the break-glass admin).
 */
export type PrimaryOutcome =
  | { kind: 'local' }
  /** The outside source accepted the password; the user exists in PassMan now (made or updated). */
  | { kind: 'accepted'; userId: string }
  | { kind: 'rejected'; userId: string | null; reason: string }
  /** The outside source could not answer: the login fails with a clear code, not as a wrong password. */
  | { kind: 'unavailable'; userId: string | null; reason: string };

export interface PrimaryAuthenticator {
  authenticate(input: { username: string; password: string; userId: string | null }, ctx: RequestContext): Promise<PrimaryOutcome>;
  /**
   * Asked when a local password was wrong or the user unknown: whether the outside source is
   * down now. Then that login answers as a directory user's would, so the answer does not tell
   * a local username from a directory one.
   */
  unavailable(): Promise<boolean>;
}

export const LOCAL_ONLY: PrimaryOutcome = { kind: 'local' };
