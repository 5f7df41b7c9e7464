/**
 * Proves that a private key and the public key we derived belong together: load both
 * with ssh2 (the SSH client the connectors use, so it must be able to read them), sign
 * a random challenge with the private key and verify it with the public one.
 *
 * Uses node:crypto's callback forms of sign/verify, which run in libuv's threadpool:
 * an RSA-16384 signature costs hundreds of milliseconds and must not stall the loop.
 */
import { createPrivateKey, createPublicKey, randomBytes, sign, verify, type KeyObject } from 'node:crypto';
import ssh2 from 'ssh2';
import type { SshKeyMaterial } from './ssh-key-types.js';
import { VaultError } from './vault-error.js';

const DIGEST: Record<SshKeyMaterial['type'], string | null> = {
  'ssh-rsa': 'sha256',
  'ecdsa-sha2-nistp256': 'sha256',
  'ssh-ed25519': null,
  'ssh-dss': 'sha1', // DSA-1024 has a 160-bit q; SHA-1 is what ssh-dss signs with
};

export async function assertKeyPairMatches(key: SshKeyMaterial): Promise<void> {
  const mismatch = () => new VaultError('KEY_PARSE_FAILED', 'the private key does not match its public part');
  let privateKey: KeyObject;
  let publicKey: KeyObject;
  try {
    const priv = ssh2.utils.parseKey(key.privateKey);
    const pub = ssh2.utils.parseKey(key.publicKey);
    if (priv instanceof Error || pub instanceof Error || Array.isArray(priv) || Array.isArray(pub)) throw new Error('unparsable');
    privateKey = createPrivateKey(priv.getPrivatePEM());
    publicKey = createPublicKey(pub.getPublicPEM());
  } catch {
    throw new VaultError('KEY_PARSE_FAILED', 'the key could not be loaded for SSH use');
  }
  const digest = DIGEST[key.type];
  const challenge = randomBytes(32);
  try {
    const signature = await new Promise<Buffer>((resolve, reject) =>
      sign(digest, challenge, privateKey, (error, result) => (error ? reject(error) : resolve(result))),
    );
    const valid = await new Promise<boolean>((resolve, reject) =>
      verify(digest, challenge, publicKey, signature, (error, result) => (error ? reject(error) : resolve(result))),
    );
    if (!valid) throw mismatch();
  } catch {
    throw mismatch();
  }
}
