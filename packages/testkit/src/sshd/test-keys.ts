import { createHash, generateKeyPair } from 'node:crypto';
import type { SshKeyType } from '@passman/contracts/limits';
import sshpk from 'sshpk';

/** The SSH key types PassMan stores, by their OpenSSH names: the contracts' one list. */
export { SSH_KEY_TYPES, type SshKeyType } from '@passman/contracts/limits';

export interface TestKeyPair {
  readonly type: SshKeyType;
  /** OpenSSH private key ("-----BEGIN OPENSSH PRIVATE KEY-----"), unencrypted. */
  readonly privateKey: string;
  /** authorized_keys line: "<type> <base64> <comment>". */
  readonly publicKey: string;
  /** "SHA256:<unpadded base64>", as ssh-keygen -l prints it. */
  readonly fingerprint: string;
}

type NodeKeySpec =
  | { kind: 'rsa'; options: { modulusLength: number } }
  | { kind: 'ec'; options: { namedCurve: string } }
  | { kind: 'ed25519'; options: Record<string, never> }
  | { kind: 'dsa'; options: { modulusLength: number; divisorLength: number } };

function nodeKeySpec(type: SshKeyType): NodeKeySpec {
  switch (type) {
    case 'ssh-rsa':
      return { kind: 'rsa', options: { modulusLength: 2048 } };
    case 'ecdsa-sha2-nistp256':
      return { kind: 'ec', options: { namedCurve: 'P-256' } };
    case 'ssh-ed25519':
      return { kind: 'ed25519', options: {} };
    case 'ssh-dss':
      // OpenSSH only knows 1024-bit DSA with a 160-bit q.
      return { kind: 'dsa', options: { modulusLength: 1024, divisorLength: 160 } };
  }
}

function generatePkcs8(spec: NodeKeySpec): Promise<string> {
  return new Promise((resolve, reject) => {
    const encoding = {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    } as const;
    const done = (err: Error | null, _pub: string, priv: string): void => (err ? reject(err) : resolve(priv));
    switch (spec.kind) {
      case 'rsa':
        return generateKeyPair('rsa', { ...spec.options, ...encoding }, done);
      case 'ec':
        return generateKeyPair('ec', { ...spec.options, ...encoding }, done);
      case 'ed25519':
        return generateKeyPair('ed25519', encoding, done);
      case 'dsa':
        return generateKeyPair('dsa', { ...spec.options, ...encoding }, done);
    }
  });
}

/**
 * Generates a key pair in OpenSSH formats with node:crypto + sshpk (ssh2 cannot parse a
 * PKCS#8 DSA key, so everything is converted to the OpenSSH format).
 */
export async function generateTestKeyPair(type: SshKeyType, comment = 'passman-test'): Promise<TestKeyPair> {
  const pem = await generatePkcs8(nodeKeySpec(type));
  const key = sshpk.parsePrivateKey(pem, 'pkcs8');
  key.comment = comment;
  const publicKey = key.toPublic().toString('ssh');
  return {
    type,
    privateKey: key.toString('openssh'),
    publicKey,
    fingerprint: fingerprintOf(publicKey),
  };
}

/** OpenSSH's SHA256 fingerprint of an authorized_keys-style line ("<type> <base64> [comment]"). */
export function fingerprintOf(publicKeyLine: string): string {
  const blob = publicKeyLine.trim().split(/\s+/)[1];
  if (!blob) throw new Error('not a public key line');
  const digest = createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64');
  return `SHA256:${digest.replace(/=+$/, '')}`;
}
