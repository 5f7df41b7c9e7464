/**
 * Generates SSH keys of the four types. The expensive part (prime search for RSA and
 * DSA, up to seconds for RSA-4096) runs in node:crypto's async `generateKeyPair`,
 * i.e. in libuv's threadpool, never on the event loop; only the cheap conversion to
 * OpenSSH format (sshpk) runs on it.
 *
 * The threadpool also serves fs, dns.lookup, zlib and argon2, and has 4 threads by
 * default: a bulk reset of many accounts must not occupy all of them (nor every
 * core), so generations are capped at min(cores − 1, threadpool − 1), at least 1;
 * the others wait their turn.
 */
import { generateKeyPair } from 'node:crypto';
import { availableParallelism } from 'node:os';
import sshpk from 'sshpk';
import { createConcurrencyLimit } from './concurrency-limit.js';
import { assertKeyComment, toKeyMaterial } from './sshpk-key.js';
import { DEFAULT_SSH_KEY_TYPE, DSA_BITS, isSshKeyType, SSH_KEY_BITS, SSH_KEY_TYPES, type SshKeyMaterial, type SshKeyType } from './ssh-key-types.js';
import { VaultError } from './vault-error.js';

export interface GenerateSshKeyOptions {
  /** Default `ssh-rsa`. `ssh-dss` is generated only when asked for by name. */
  type?: SshKeyType;
  /** RSA only: 2048, 3072 (default) or 4096. Other types have one size. */
  bits?: number;
  /** The key's comment, e.g. `passman@<credential id>`; none by default. */
  comment?: string;
}

export type GeneratedSshKey = SshKeyMaterial;

const threadpoolSize = Number(process.env.UV_THREADPOOL_SIZE) || 4;
const limit = createConcurrencyLimit(Math.max(1, Math.min(availableParallelism() - 1, threadpoolSize - 1)));

export async function generateSshKey(options: GenerateSshKeyOptions = {}): Promise<GeneratedSshKey> {
  const type = options.type ?? DEFAULT_SSH_KEY_TYPE;
  if (!isSshKeyType(type)) {
    throw new VaultError('KEY_SPEC_INVALID', `unknown SSH key type; use one of ${SSH_KEY_TYPES.join(', ')}`);
  }
  // The contracts' sizes per type, the default first.
  const allowed = SSH_KEY_BITS[type];
  const bits = options.bits ?? allowed[0]!;
  if (!allowed.includes(bits)) {
    throw new VaultError('KEY_SPEC_INVALID', `${type} keys are generated with ${[...allowed].sort((x, y) => x - y).join(', ')} bits`, {
      details: { type, bits },
    });
  }
  assertKeyComment(options.comment);

  const pkcs8 = await limit.run(() => generatePkcs8(type, bits));
  return toKeyMaterial(sshpk.parsePrivateKey(pkcs8, 'pkcs8'), options.comment ?? '');
}

/** The number of key generations running / queued (for metrics). */
export function keyGenerationLoad(): { active: number; waiting: number } {
  return { active: limit.active, waiting: limit.waiting };
}

/** The private key as PKCS#8 PEM; encoding also happens in the threadpool. */
function generatePkcs8(type: SshKeyType, bits: number): Promise<string> {
  const encoding = {
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  } as const;
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, _publicKey: string, privateKey: string) => (error ? reject(error) : resolve(privateKey));
    switch (type) {
      case 'ssh-rsa':
        return generateKeyPair('rsa', { modulusLength: bits, publicExponent: 0x10001, ...encoding }, done);
      case 'ecdsa-sha2-nistp256':
        return generateKeyPair('ec', { namedCurve: 'P-256', ...encoding }, done);
      case 'ssh-ed25519':
        return generateKeyPair('ed25519', encoding, done);
      case 'ssh-dss':
        // FIPS 186 (L=1024, N=160): the only DSA size OpenSSH accepts.
        return generateKeyPair('dsa', { modulusLength: DSA_BITS, divisorLength: 160, ...encoding }, done);
    }
  });
}
