import { generateTestKeyPair, type SshKeyType } from './test-keys.js';

export type HostKeyType = 'ed25519' | 'ecdsa' | 'rsa';

/** A host key as a client sees it. */
export interface HostKey {
  readonly type: HostKeyType;
  /** e.g. 'ssh-ed25519' */
  readonly algorithm: string;
  /** "<algorithm> <base64>", the known_hosts / authorized_keys form (no comment). */
  readonly publicKey: string;
  /** 'SHA256:…' as `ssh-keygen -l` prints it. */
  readonly fingerprint: string;
}

const KEY_TYPE: Record<HostKeyType, SshKeyType> = {
  ed25519: 'ssh-ed25519',
  ecdsa: 'ecdsa-sha2-nistp256',
  rsa: 'ssh-rsa',
};

export async function generateHostKeys(types: readonly HostKeyType[]): Promise<Array<{ key: HostKey; privateKey: string }>> {
  if (types.length === 0) throw new Error('a target needs at least one host key');
  return Promise.all(
    types.map(async (type) => {
      const pair = await generateTestKeyPair(KEY_TYPE[type], 'passman-test-host');
      const [algorithm = '', blob = ''] = pair.publicKey.split(' ');
      return {
        key: { type, algorithm, publicKey: `${algorithm} ${blob}`, fingerprint: pair.fingerprint },
        privateKey: pair.privateKey,
      };
    }),
  );
}
