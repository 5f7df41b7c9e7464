import { generateKeyPairSync } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { generateTestKeyPair, SSH_KEY_TYPES } from '@passman/testkit';
import sshpk from 'sshpk';
import { parsePrivateKey, parsePublicKeyLine } from './ssh-keys.js';

describe('private keys', () => {
  it.each(SSH_KEY_TYPES)('parses an OpenSSH %s key', async (type) => {
    const key = await generateTestKeyPair(type);
    expect(parsePrivateKey(key.privateKey).type).toBe(type);
  });

  it('converts PEM keys ssh2 cannot read itself, such as PKCS#8 DSA', () => {
    const { privateKey } = generateKeyPairSync('dsa', {
      modulusLength: 1024,
      divisorLength: 160,
      privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(parsePrivateKey(privateKey).type).toBe('ssh-dss');
  });

  it('opens an encrypted key with its passphrase, and says INVALID_SECRET without it or with a wrong one', () => {
    const { privateKey: encrypted } = generateKeyPairSync('ed25519', {
      privateKeyEncoding: { type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: 'Sesame-1' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(encrypted).toContain('ENCRYPTED');
    expect(parsePrivateKey(encrypted, 'Sesame-1').type).toBe('ssh-ed25519');
    expect(() => parsePrivateKey(encrypted)).toThrow(expect.objectContaining({ code: 'INVALID_SECRET' }));
    expect(() => parsePrivateKey(encrypted, 'Sesame-2')).toThrow(expect.objectContaining({ code: 'INVALID_SECRET' }));
  });

  it('tells an encrypted OpenSSH key without passphrase (INVALID_SECRET) from a usable one', async () => {
    // Encrypted by sshpk (bcrypt KDF, aes128-ctr): ssh2's own generator writes about one
    // ed25519 key in 256 that its parser then refuses.
    const { privateKey } = await generateTestKeyPair('ssh-ed25519');
    const encrypted = sshpk.parsePrivateKey(privateKey, 'openssh').toString('openssh', { passphrase: 'Sesame-1' });
    expect(() => parsePrivateKey(encrypted)).toThrow(expect.objectContaining({ code: 'INVALID_SECRET' }));
    expect(() => parsePrivateKey(encrypted, 'Sesame-2')).toThrow(expect.objectContaining({ code: 'INVALID_SECRET' }));
    expect(parsePrivateKey(encrypted, 'Sesame-1').type).toBe('ssh-ed25519');
  });

  it('refuses garbage and unsupported types without quoting the input', () => {
    const garbage = '-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LW1hdGVyaWFs\n-----END OPENSSH PRIVATE KEY-----\n';
    try {
      parsePrivateKey(garbage);
      throw new Error('should have failed');
    } catch (err) {
      expect(err).toMatchObject({ code: 'UNSUPPORTED_KEY_TYPE' });
      expect((err as Error).message).not.toContain('c2VjcmV0');
    }
    const { privateKey } = generateKeyPairSync('ec', {
      namedCurve: 'P-384',
      privateKeyEncoding: { type: 'sec1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    expect(() => parsePrivateKey(privateKey)).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_KEY_TYPE' }));
  });
});

describe('public key lines', () => {
  it('normalises a key line and keeps a plain comment', async () => {
    const key = await generateTestKeyPair('ecdsa-sha2-nistp256', 'ops@example.org');
    const [type, blob] = key.publicKey.split(' ');
    expect(parsePublicKeyLine(`  ${key.publicKey}  `)).toEqual({ type, blob, line: `${type} ${blob} ops@example.org` });
  });

  it('refuses options, several lines and unsupported types', async () => {
    const key = await generateTestKeyPair('ssh-ed25519');
    expect(() => parsePublicKeyLine(`no-pty ${key.publicKey}`)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    expect(() => parsePublicKeyLine(`${key.publicKey}\n${key.publicKey}`)).toThrow(expect.objectContaining({ code: 'INVALID_REQUEST' }));
    const p384 = sshpk.parsePrivateKey(
      generateKeyPairSync('ec', {
        namedCurve: 'P-384',
        privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
        publicKeyEncoding: { type: 'spki', format: 'pem' },
      }).privateKey,
      'pkcs8',
    );
    expect(() => parsePublicKeyLine(p384.toPublic().toString('ssh'))).toThrow(expect.objectContaining({ code: 'UNSUPPORTED_KEY_TYPE' }));
  });
});
