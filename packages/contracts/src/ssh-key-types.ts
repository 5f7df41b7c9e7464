/**
 * The SSH key types PassMan stores, generates, imports and installs, with the sizes each may
 * have. One list for the API, the vault, the connector and the web app; plain values (no zod)
 * so every package can import it through `@passman/contracts/limits`.
 */

/** ssh-rsa first: it is the default key type. ssh-dss is legacy (weak) and only for hosts that still need it. */
export const SSH_KEY_TYPES = ['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-dss', 'ssh-ed25519'] as const;
export type SshKeyType = (typeof SSH_KEY_TYPES)[number];

export const isSshKeyType = (value: unknown): value is SshKeyType => typeof value === 'string' && (SSH_KEY_TYPES as readonly string[]).includes(value);

export const DEFAULT_SSH_KEY_TYPE: SshKeyType = 'ssh-rsa';

/** RSA sizes PassMan generates, and the one it picks when none is asked for. */
export const RSA_GENERATION_BITS = [2048, 3072, 4096] as const;
export const DEFAULT_RSA_BITS = 3072;

/** Sizes that OpenSSH accepts on import (it refuses RSA under 1024 bits and DSA other than 1024). */
export const RSA_IMPORT_MIN_BITS = 1024;
export const RSA_IMPORT_MAX_BITS = 16384;
export const DSA_BITS = 1024;

/** Key sizes a policy may ask for, per type; the first is the default. */
export const SSH_KEY_BITS: Record<SshKeyType, readonly number[]> = {
  'ssh-rsa': [DEFAULT_RSA_BITS, ...RSA_GENERATION_BITS.filter((bits) => bits !== DEFAULT_RSA_BITS)],
  'ecdsa-sha2-nistp256': [256],
  'ssh-dss': [DSA_BITS],
  'ssh-ed25519': [256],
};

/** Below this, an RSA key is weak (and so is every DSA key: 1024 bits, SHA-1). */
export const RSA_WEAK_BELOW_BITS = 2048;

export function isWeakSshKey(type: SshKeyType, bits: number): boolean {
  return type === 'ssh-dss' || (type === 'ssh-rsa' && bits < RSA_WEAK_BELOW_BITS);
}

/** "ssh-rsa, ecdsa-sha2-nistp256, ssh-ed25519 or ssh-dss" (legacy last), for messages that list what is supported. */
export function sshKeyTypesText(conjunction: 'or' | 'and'): string {
  const types = [...SSH_KEY_TYPES.filter((type) => type !== 'ssh-dss'), 'ssh-dss'];
  return `${types.slice(0, -1).join(', ')} ${conjunction} ${types.at(-1)}`;
}
