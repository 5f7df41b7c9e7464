import argon2 from 'argon2';

/** argon2id at OWASP's recommended minimum (19 MiB, t=2, p=1). */
export const ARGON2_OPTIONS = { type: argon2.argon2id, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export interface PasswordHasher {
  hash(password: string): Promise<string>;
  verify(hash: string, password: string): Promise<boolean>;
  /** Hash to verify against when the user does not exist, so timing does not reveal it. */
  dummyHash(): Promise<string>;
}

export function createPasswordHasher(options: { memoryCost?: number; timeCost?: number; parallelism?: number } = {}): PasswordHasher {
  const params = { ...ARGON2_OPTIONS, ...options };
  let dummy: Promise<string> | undefined;
  return {
    hash: (password) => argon2.hash(password, params),
    verify: async (hash, password) => {
      try {
        return await argon2.verify(hash, password);
      } catch {
        return false; // malformed hash: treat as a mismatch, never a 500
      }
    },
    dummyHash: () => (dummy ??= argon2.hash('passman-dummy-password', params)),
  };
}
