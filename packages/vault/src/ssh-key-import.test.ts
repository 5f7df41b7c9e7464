import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { generateKeyPairSync } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { fingerprintOfPublicKey } from './fingerprint.js';
import { importSshPrivateKey, type ImportedKeyFormat } from './ssh-key-import.js';
import type { SshKeyType } from './ssh-key-types.js';
import { fingerprintFromFile, keyPart, makeTempDir, publicKeyFromFile, sshKeygenGenerate, writeKeyFile } from './ssh-keygen.test-util.js';
import { isVaultError } from './vault-error.js';

const PASS = 'correct horse battery';

interface Fixture {
  name: string;
  text: string;
  passphrase?: string;
  /** `<type> <base64>` from an independent source (ssh-keygen's .pub, or node's JWK). */
  expectedPublic: string;
  type: SshKeyType;
  bits: number;
  sourceFormat: ImportedKeyFormat;
  encrypted: boolean;
}

const KEYGEN_TYPES: { keygen: string; type: SshKeyType; bits: number; pemFormat: ImportedKeyFormat }[] = [
  { keygen: 'rsa', type: 'ssh-rsa', bits: 2048, pemFormat: 'pkcs1' },
  { keygen: 'ecdsa', type: 'ecdsa-sha2-nistp256', bits: 256, pemFormat: 'sec1' },
  { keygen: 'ed25519', type: 'ssh-ed25519', bits: 256, pemFormat: 'pkcs1' },
  { keygen: 'dsa', type: 'ssh-dss', bits: 1024, pemFormat: 'pkcs1' },
];

describe('importSshPrivateKey', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  const fixtures: Fixture[] = [];

  beforeAll(async () => {
    ({ dir, cleanup } = await makeTempDir());
    let n = 0;
    const keygen = async (t: (typeof KEYGEN_TYPES)[number], opts: { passphrase?: string; mode?: 'PEM' | 'PKCS8' }, sourceFormat: ImportedKeyFormat) => {
      n += 1;
      const extra = opts.mode ? ['-m', opts.mode] : [];
      const { path, text } = await sshKeygenGenerate(dir, `k${n}`, { type: t.keygen, bits: t.bits, passphrase: opts.passphrase, extra });
      fixtures.push({
        name: `${t.type} ${sourceFormat}${opts.passphrase ? ' encrypted' : ''} (ssh-keygen${opts.mode ? ` -m ${opts.mode}` : ''})`,
        text,
        passphrase: opts.passphrase,
        expectedPublic: keyPart(await readFile(`${path}.pub`, 'utf8')),
        type: t.type,
        bits: t.bits,
        sourceFormat,
        encrypted: Boolean(opts.passphrase),
      });
    };
    for (const t of KEYGEN_TYPES) {
      await keygen(t, {}, 'openssh');
      await keygen(t, { passphrase: PASS }, 'openssh');
      if (t.keygen === 'ed25519') continue; // OpenSSH 9.2 writes Ed25519 only in its own format
      await keygen(t, { mode: 'PEM' }, t.pemFormat);
      await keygen(t, { mode: 'PEM', passphrase: PASS }, t.pemFormat);
      await keygen(t, { mode: 'PKCS8' }, 'pkcs8');
      await keygen(t, { mode: 'PKCS8', passphrase: PASS }, 'pkcs8');
    }
    // Ed25519 PKCS#8 (as OpenSSL and most other tools write it), plain and encrypted
    const ed = generateKeyPairSync('ed25519');
    const x = Buffer.from(ed.publicKey.export({ format: 'jwk' }).x as string, 'base64url');
    const blob = Buffer.concat([sshString(Buffer.from('ssh-ed25519')), sshString(x)]);
    const edPublic = `ssh-ed25519 ${blob.toString('base64')}`;
    const edCommon = { expectedPublic: edPublic, type: 'ssh-ed25519' as const, bits: 256, sourceFormat: 'pkcs8' as const };
    fixtures.push({ name: 'ssh-ed25519 pkcs8 (node)', text: ed.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string, encrypted: false, ...edCommon });
    fixtures.push({
      name: 'ssh-ed25519 pkcs8 encrypted (node)',
      text: ed.privateKey.export({ type: 'pkcs8', format: 'pem', cipher: 'aes-256-cbc', passphrase: PASS }) as string,
      passphrase: PASS,
      encrypted: true,
      ...edCommon,
    });
  }, 120_000);
  afterAll(async () => cleanup());

  it('has fixtures for every format', () => {
    expect(fixtures).toHaveLength(22);
  });

  it('imports every format and type: detects the type, derives the public key and fingerprint, outputs unencrypted OpenSSH', async () => {
    for (const f of fixtures) {
      const key = await importSshPrivateKey(f.text, { passphrase: f.passphrase, comment: 'passman@import' });
      expect([f.name, key.type, key.bits, key.sourceFormat, key.wasEncrypted, key.weak]).toEqual([
        f.name,
        f.type,
        f.bits,
        f.sourceFormat,
        f.encrypted,
        f.type === 'ssh-dss',
      ]);
      expect([f.name, keyPart(key.publicKey)]).toEqual([f.name, f.expectedPublic]);
      expect(key.publicKey.endsWith(' passman@import')).toBe(true);
      expect(key.fingerprint).toBe(fingerprintOfPublicKey(f.expectedPublic));
      expect(key.privateKey.startsWith('-----BEGIN OPENSSH PRIVATE KEY-----\n')).toBe(true);
      // OpenSSH reads the result without any passphrase and agrees on public key and fingerprint
      const path = await writeKeyFile(dir, 'out', key.privateKey);
      expect([f.name, keyPart(await publicKeyFromFile(path))]).toEqual([f.name, f.expectedPublic]);
      expect((await fingerprintFromFile(path)).fingerprint).toBe(key.fingerprint);
    }
  }, 120_000);

  it('takes the passphrase as a string or as bytes', async () => {
    for (const format of ['openssh', 'pkcs8', 'pkcs1'] as const) {
      const f = fixtures.find((x) => x.encrypted && x.sourceFormat === format)!;
      const key = await importSshPrivateKey(f.text, { passphrase: Buffer.from(PASS, 'utf8') });
      expect([f.name, keyPart(key.publicKey)]).toEqual([f.name, f.expectedPublic]);
    }
  });

  it('keeps an OpenSSH key’s own comment unless told otherwise, and accepts bytes and CRLF', async () => {
    const { text } = await sshKeygenGenerate(dir, 'commented', { type: 'ed25519', comment: 'alice@laptop' });
    expect((await importSshPrivateKey(text)).publicKey).toMatch(/ alice@laptop$/);
    expect((await importSshPrivateKey(Buffer.from(text.replace(/\n/g, '\r\n')))).publicKey).toMatch(/ alice@laptop$/);
    expect((await importSshPrivateKey(text, { comment: '' })).publicKey.split(' ')).toHaveLength(2);
  });

  describe('says why a key is refused', () => {
    async function codeOf(text: string, passphrase?: string): Promise<string> {
      try {
        await importSshPrivateKey(text, { passphrase });
        return 'imported';
      } catch (error) {
        if (!isVaultError(error)) throw error;
        if (passphrase) expect(error.message).not.toContain(passphrase);
        return error.code;
      }
    }
    const find = (pred: (f: Fixture) => boolean) => fixtures.find(pred)!;

    it('not a key', async () => {
      expect(await codeOf('')).toBe('KEY_PARSE_FAILED');
      expect(await codeOf('hello world')).toBe('KEY_PARSE_FAILED');
      expect(await codeOf('-----BEGIN PRIVATE KEY-----\nAAAAAAAA\n-----END PRIVATE KEY-----\n')).toBe('KEY_PARSE_FAILED');
      expect(await codeOf('PuTTY-User-Key-File-3: ssh-ed25519\nEncryption: none\n')).toBe('KEY_PARSE_FAILED');
      const openssh = find((f) => f.sourceFormat === 'openssh' && !f.encrypted && f.type === 'ssh-rsa').text;
      const lines = openssh.trim().split('\n');
      const truncated = [...lines.slice(0, Math.floor(lines.length / 2)), lines[lines.length - 1]].join('\n');
      expect(await codeOf(truncated)).toBe('KEY_PARSE_FAILED');
    });

    it('a public key or certificate instead of a private key', async () => {
      const f = find((x) => x.type === 'ssh-ed25519');
      expect(await codeOf(`${f.expectedPublic} someone@host\n`)).toBe('KEY_NOT_PRIVATE');
      const spki = generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' }) as string;
      expect(await codeOf(spki)).toBe('KEY_NOT_PRIVATE');
    });

    it('an unsupported key type or size', async () => {
      const p384 = await sshKeygenGenerate(dir, 'p384', { type: 'ecdsa', bits: 384 });
      expect(await codeOf(p384.text)).toBe('KEY_TYPE_UNSUPPORTED');
      const p384enc = await sshKeygenGenerate(dir, 'p384e', { type: 'ecdsa', bits: 384, passphrase: PASS });
      expect(await codeOf(p384enc.text)).toBe('KEY_TYPE_UNSUPPORTED'); // known before asking for the passphrase
      const p521 = await sshKeygenGenerate(dir, 'p521', { type: 'ecdsa', bits: 521, extra: ['-m', 'PKCS8'] });
      expect(await codeOf(p521.text)).toBe('KEY_TYPE_UNSUPPORTED');
      const ed448 = generateKeyPairSync('ed448').privateKey.export({ type: 'pkcs8', format: 'pem' }) as string;
      expect(await codeOf(ed448)).toBe('KEY_TYPE_UNSUPPORTED');
      const rsa768 = generateKeyPairSync('rsa', { modulusLength: 768 }).privateKey.export({ type: 'pkcs1', format: 'pem' }) as string;
      expect(await codeOf(rsa768)).toBe('KEY_TYPE_UNSUPPORTED');
    });

    it('passphrase required / wrong, for OpenSSH, PKCS#8 and legacy PEM encryption', async () => {
      for (const format of ['openssh', 'pkcs8', 'pkcs1', 'sec1'] as const) {
        const f = find((x) => x.encrypted && x.sourceFormat === format);
        expect([f.name, await codeOf(f.text)]).toEqual([f.name, 'KEY_PASSPHRASE_REQUIRED']);
        expect([f.name, await codeOf(f.text, 'not the passphrase')]).toEqual([f.name, 'KEY_PASSPHRASE_WRONG']);
      }
    });

    it('an encryption it cannot (or will not) undo', async () => {
      const chacha = await sshKeygenGenerate(dir, 'chacha', { type: 'ed25519', passphrase: PASS, extra: ['-Z', 'chacha20-poly1305@openssh.com'] });
      expect(await codeOf(chacha.text, PASS)).toBe('KEY_ENCRYPTION_UNSUPPORTED');
      // bcrypt rounds are in the clear header: raise them to 100,000 (days of pure-JS KDF)
      const f = find((x) => x.encrypted && x.sourceFormat === 'openssh');
      const { body, rewrap } = openSshBody(f.text);
      const rounds = body.indexOf(Buffer.from([0, 0, 0, 16]), body.indexOf('bcrypt')) + 4 + 16; // salt length 16, salt, rounds
      expect(body.readUInt32BE(rounds)).toBe(16);
      body.writeUInt32BE(100_000, rounds);
      expect(await codeOf(rewrap(body), PASS)).toBe('KEY_ENCRYPTION_UNSUPPORTED');
    });

    it('a private key that does not match its public half', async () => {
      const { text } = await sshKeygenGenerate(dir, 'mismatch', { type: 'ed25519' });
      const { body, rewrap } = openSshBody(text);
      // In the private section the 64-byte field is seed ‖ public key; change the seed.
      const field = body.lastIndexOf(Buffer.from([0, 0, 0, 64]));
      body[field + 4] = (body[field + 4] as number) ^ 0xff;
      await expect(importSshPrivateKey(rewrap(body))).rejects.toMatchObject({
        code: 'KEY_PARSE_FAILED',
        message: 'the private key does not match its public part',
      });
    });
  });
});

/** The decoded body of an OpenSSH private key, and a function to re-armour a changed body. */
function openSshBody(text: string): { body: Buffer; rewrap: (body: Buffer) => string } {
  const body = Buffer.from(
    text
      .split('\n')
      .filter((l) => l && !l.startsWith('-----'))
      .join(''),
    'base64',
  );
  const rewrap = (changed: Buffer) =>
    `-----BEGIN OPENSSH PRIVATE KEY-----\n${changed.toString('base64').replace(/.{70}/g, '$&\n').trim()}\n-----END OPENSSH PRIVATE KEY-----\n`;
  return { body, rewrap };
}

function sshString(bytes: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(bytes.length);
  return Buffer.concat([len, bytes]);
}
