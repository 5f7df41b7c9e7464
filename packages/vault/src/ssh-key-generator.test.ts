import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import ssh2 from 'ssh2';
import { fingerprintOfPublicKey } from './fingerprint.js';
import { generateSshKey } from './ssh-key-generator.js';
import type { SshKeyType } from './ssh-key-types.js';
import { fingerprintFromFile, keyPart, makeTempDir, publicKeyFromFile, writeKeyFile } from './ssh-keygen.test-util.js';

const cases: { type: SshKeyType; bits?: number; expectBits: number; keygenType: string; weak: boolean }[] = [
  { type: 'ssh-rsa', expectBits: 3072, keygenType: 'RSA', weak: false },
  { type: 'ssh-rsa', bits: 2048, expectBits: 2048, keygenType: 'RSA', weak: false },
  { type: 'ssh-rsa', bits: 4096, expectBits: 4096, keygenType: 'RSA', weak: false },
  { type: 'ecdsa-sha2-nistp256', expectBits: 256, keygenType: 'ECDSA', weak: false },
  { type: 'ssh-ed25519', expectBits: 256, keygenType: 'ED25519', weak: false },
  { type: 'ssh-dss', expectBits: 1024, keygenType: 'DSA', weak: true },
];

describe('generateSshKey', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
  afterAll(async () => cleanup());

  it.each(cases)('$type $expectBits: ssh-keygen accepts the private key, derives the same public key and fingerprint', async (c) => {
    const key = await generateSshKey({ type: c.type, bits: c.bits, comment: `passman@test-${c.type}` });
    expect(key).toMatchObject({ type: c.type, bits: c.expectBits, weak: c.weak });
    expect(key.privateKey).toMatch(/^-----BEGIN OPENSSH PRIVATE KEY-----\n[\s\S]+\n-----END OPENSSH PRIVATE KEY-----\n$/);
    expect(key.publicKey).toMatch(new RegExp(`^${c.type} AAAA[A-Za-z0-9+/]+=* passman@test-${c.type}$`));
    expect(key.fingerprint).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
    expect(fingerprintOfPublicKey(key.publicKey)).toBe(key.fingerprint);

    const path = await writeKeyFile(dir, `${c.type}-${c.expectBits}`, key.privateKey);
    expect(keyPart(await publicKeyFromFile(path))).toBe(keyPart(key.publicKey));
    expect(await fingerprintFromFile(path)).toEqual({ bits: c.expectBits, fingerprint: key.fingerprint, type: c.keygenType });

    // ssh2 (the connector's SSH client) loads it and its signature verifies with the public key
    const priv = ssh2.utils.parseKey(key.privateKey);
    const pub = ssh2.utils.parseKey(key.publicKey);
    if (priv instanceof Error || pub instanceof Error || Array.isArray(priv) || Array.isArray(pub)) throw new Error('ssh2 cannot parse the key');
    const data = Buffer.from('challenge');
    expect(pub.verify(data, priv.sign(data) as Buffer)).toBe(true);
  });

  it('defaults to ssh-rsa 3072 without a comment, and never repeats a key', async () => {
    const [a, b] = await Promise.all([generateSshKey(), generateSshKey({ type: 'ssh-ed25519' })]);
    expect(a).toMatchObject({ type: 'ssh-rsa', bits: 3072, weak: false });
    expect(a.publicKey.split(' ')).toHaveLength(2);
    const c = await generateSshKey({ type: 'ssh-ed25519' });
    expect(c.fingerprint).not.toBe(b!.fingerprint);
  });

  it('refuses sizes and types it does not generate, and multi-line comments', async () => {
    const bad = [
      { type: 'ssh-rsa' as const, bits: 1024 },
      { type: 'ssh-rsa' as const, bits: 8192 },
      { type: 'ssh-dss' as const, bits: 2048 },
      { type: 'ecdsa-sha2-nistp256' as const, bits: 384 },
      { type: 'ecdsa-sha2-nistp384' as unknown as SshKeyType },
      { type: 'ssh-ed25519' as const, comment: 'a\nb' },
    ];
    for (const options of bad) {
      await expect(generateSshKey(options)).rejects.toMatchObject({ code: 'KEY_SPEC_INVALID' });
    }
  });
});
