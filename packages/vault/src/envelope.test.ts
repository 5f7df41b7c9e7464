import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { nonceOf } from './aes-gcm.js';
import { createVault, type EncryptedRecord } from './envelope.js';
import { createMasterKeyRing, type MasterKeyRing } from './master-key-ring.js';
import { CREDENTIAL_SECRET_PURPOSE, type EnvelopeContext } from './aad.js';
import { VaultError, type VaultErrorCode } from './vault-error.js';

const ring = (entries: [number, Buffer][], activeVersion = entries[0]![0]): MasterKeyRing => createMasterKeyRing({ keys: new Map(entries), activeVersion });
const ctx = (credentialId = '0190f3a4-0000-7000-8000-000000000001', version = 1): EnvelopeContext => ({
  credentialId,
  version,
  purpose: CREDENTIAL_SECRET_PURPOSE,
});

function codeOf(fn: () => unknown): VaultErrorCode | 'no error' | 'not a VaultError' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    return error instanceof VaultError ? error.code : 'not a VaultError';
  }
}

describe('envelope encryption', () => {
  const key1 = randomBytes(32);
  const vault = createVault({ keyRing: ring([[1, key1]]) });

  it('round-trips strings, buffers and Prisma-style Uint8Arrays', () => {
    const record = vault.encrypt('s3cret:pässwörd', ctx());
    expect(record.keyVersion).toBe(1);
    expect(vault.decrypt(record, ctx()).toString('utf8')).toBe('s3cret:pässwörd');

    const bytes = randomBytes(1000);
    const fromDb = vault.encrypt(bytes, ctx());
    const asUint8 = {
      ciphertext: new Uint8Array(fromDb.ciphertext),
      wrappedKey: new Uint8Array(fromDb.wrappedKey),
      keyVersion: fromDb.keyVersion,
    };
    expect(vault.decrypt(asUint8, ctx()).equals(bytes)).toBe(true);
    expect(vault.decrypt(vault.encrypt(new Uint8Array([1, 2, 3]), ctx()), ctx())).toEqual(Buffer.from([1, 2, 3]));
    expect(vault.decrypt(vault.encrypt('', ctx()), ctx()).length).toBe(0);
  });

  it('lays out the ciphertext as format byte, nonce, body, tag and never contains the plaintext', () => {
    const plaintext = 'correct horse battery staple';
    const record = vault.encrypt(plaintext, ctx());
    expect(record.ciphertext[0]).toBe(1);
    expect(record.ciphertext.length).toBe(1 + 12 + Buffer.byteLength(plaintext) + 16);
    expect(record.wrappedKey.length).toBe(1 + 12 + 32 + 16);
    expect(record.ciphertext.includes(Buffer.from(plaintext))).toBe(false);
  });

  it('refuses a ciphertext copied onto another row: other credential, version or purpose', () => {
    const record = vault.encrypt('secret', ctx('cred-a', 3));
    expect(codeOf(() => vault.decrypt(record, ctx('cred-b', 3)))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => vault.decrypt(record, ctx('cred-a', 4)))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => vault.decrypt(record, { ...ctx('cred-a', 3), purpose: 'other-purpose' }))).toBe('DECRYPT_FAILED');
    expect(vault.decrypt(record, ctx('cred-a', 3)).toString()).toBe('secret');
  });

  it('encodes the context unambiguously (no field boundary can shift)', () => {
    const record = vault.encrypt('secret', { credentialId: 'ab', version: 1, purpose: 'c' });
    expect(codeOf(() => vault.decrypt(record, { credentialId: 'a', version: 1, purpose: 'bc' }))).toBe('DECRYPT_FAILED');
  });

  it('refuses a data key or ciphertext spliced from another record of the same row', () => {
    const a = vault.encrypt('secret-a', ctx());
    const b = vault.encrypt('secret-b', ctx());
    expect(codeOf(() => vault.decrypt({ ...a, wrappedKey: b.wrappedKey }, ctx()))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => vault.decrypt({ ...a, ciphertext: b.ciphertext }, ctx()))).toBe('DECRYPT_FAILED');
    // a wrapped data key is not a ciphertext: domain separation in the AAD
    expect(codeOf(() => vault.decrypt({ ...a, ciphertext: a.wrappedKey }, ctx()))).toBe('DECRYPT_FAILED');
  });

  it('detects every flipped byte of the ciphertext and of the wrapped key', () => {
    const record = vault.encrypt('pw', ctx());
    for (const field of ['ciphertext', 'wrappedKey'] as const) {
      for (let i = 0; i < record[field].length; i += 1) {
        for (const mask of [0x01, 0x80, 0xff]) {
          const tampered = Buffer.from(record[field]);
          tampered[i] = (tampered[i] as number) ^ mask;
          expect([field, i, mask, codeOf(() => vault.decrypt({ ...record, [field]: tampered }, ctx()))]).toEqual([field, i, mask, 'DECRYPT_FAILED']);
        }
      }
      expect(codeOf(() => vault.decrypt({ ...record, [field]: record[field].subarray(0, -1) }, ctx()))).toBe('DECRYPT_FAILED');
      expect(codeOf(() => vault.decrypt({ ...record, [field]: Buffer.concat([record[field], Buffer.alloc(1)]) }, ctx()))).toBe('DECRYPT_FAILED');
    }
    expect(vault.decrypt(record, ctx()).toString()).toBe('pw');
  });

  it('fails with a wrong master key, and with a key version that is not loaded', () => {
    const record = vault.encrypt('secret', ctx());
    const wrong = createVault({ keyRing: ring([[1, randomBytes(32)]]) });
    expect(codeOf(() => wrong.decrypt(record, ctx()))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => vault.decrypt({ ...record, keyVersion: 9 }, ctx()))).toBe('KEY_VERSION_UNKNOWN');
    // a record claiming another loaded version fails too: the version is in the wrap AAD
    const two = createVault({
      keyRing: ring([
        [1, key1],
        [2, key1],
      ]),
    });
    expect(codeOf(() => two.decrypt({ ...record, keyVersion: 2 }, ctx()))).toBe('DECRYPT_FAILED');
  });

  it('never puts the plaintext into an error', () => {
    const record = vault.encrypt('topsecret-value', ctx());
    try {
      vault.decrypt(record, ctx('other'));
      throw new Error('expected a failure');
    } catch (error) {
      expect(error).toBeInstanceOf(VaultError);
      expect(JSON.stringify(error) + String(error) + inspect(error)).not.toContain('topsecret');
    }
  });

  it('validates the context', () => {
    expect(codeOf(() => vault.encrypt('x', { credentialId: '', version: 1, purpose: 'p' }))).toBe('CONTEXT_INVALID');
    expect(codeOf(() => vault.encrypt('x', { credentialId: 'c', version: -1, purpose: 'p' }))).toBe('CONTEXT_INVALID');
    expect(codeOf(() => vault.encrypt('x', { credentialId: 'c', version: 1.5, purpose: 'p' }))).toBe('CONTEXT_INVALID');
    expect(codeOf(() => vault.encrypt('x', { credentialId: 'c', version: 1, purpose: 'Has Space' }))).toBe('CONTEXT_INVALID');
  });

  it('never repeats a nonce in 100,000 encryptions (data and key-wrap nonces)', () => {
    const seen = new Set<string>();
    const n = 100_000;
    const c = ctx();
    for (let i = 0; i < n; i += 1) {
      const { ciphertext, wrappedKey } = vault.encrypt('x', c);
      seen.add(nonceOf(ciphertext).toString('base64'));
      seen.add(nonceOf(wrappedKey).toString('base64'));
    }
    expect(seen.size).toBe(2 * n);
  });

  it('is sealed without a key ring: every operation throws SEALED', () => {
    const sealed = createVault({ keyRing: null, sealedReason: 'MASTER_KEY_MISMATCH' });
    expect(sealed.sealed).toBe(true);
    expect(sealed.sealedReason).toBe('MASTER_KEY_MISMATCH');
    const record = vault.encrypt('x', ctx());
    expect(codeOf(() => sealed.encrypt('x', ctx()))).toBe('SEALED');
    expect(codeOf(() => sealed.decrypt(record, ctx()))).toBe('SEALED');
    expect(codeOf(() => sealed.rewrap(record, ctx()))).toBe('SEALED');
    expect(vault.sealed).toBe(false);
  });
});

describe('master key rotation', () => {
  const old = randomBytes(32);
  const fresh = randomBytes(32);
  const before = createVault({ keyRing: ring([[1, old]]) });
  const records: { ctx: EnvelopeContext; secret: string; record: EncryptedRecord }[] = [];
  for (let i = 0; i < 200; i += 1) {
    const c = ctx(`cred-${i}`, (i % 5) + 1);
    const secret = randomBytes(24).toString('base64');
    records.push({ ctx: c, secret, record: before.encrypt(secret, c) });
  }
  // new key listed first = active; the old one still unwraps
  const during = createVault({
    keyRing: ring([
      [2, fresh],
      [1, old],
    ]),
  });

  it('decrypts records of the old version before they are re-wrapped, and writes new ones under the new version', () => {
    for (const { ctx: c, secret, record } of records) expect(during.decrypt(record, c).toString()).toBe(secret);
    expect(during.activeKeyVersion).toBe(2);
    expect(during.encrypt('new', ctx()).keyVersion).toBe(2);
  });

  it('re-wraps every record under the active version; all still decrypt, ciphertexts unchanged', () => {
    const after = createVault({ keyRing: ring([[2, fresh]]) });
    const half = records.length / 2;
    records.forEach((entry, i) => {
      expect(during.needsRewrap(entry.record)).toBe(true);
      if (i >= half) return; // the rest stays on version 1 for now
      const rewrapped = during.rewrap(entry.record, entry.ctx);
      expect(rewrapped.keyVersion).toBe(2);
      expect(rewrapped.ciphertext.equals(entry.record.ciphertext)).toBe(true);
      expect(rewrapped.wrappedKey.equals(entry.record.wrappedKey)).toBe(false);
      expect(during.needsRewrap(rewrapped)).toBe(false);
      expect(during.decrypt(rewrapped, entry.ctx).toString()).toBe(entry.secret);
      expect(after.decrypt(rewrapped, entry.ctx).toString()).toBe(entry.secret);
      // idempotent: re-wrapping a current record keeps its version
      expect(during.rewrap(rewrapped, entry.ctx).keyVersion).toBe(2);
    });
    // not yet re-wrapped: readable while version 1 is loaded, not after it is dropped
    for (const entry of records.slice(half)) {
      expect(during.decrypt(entry.record, entry.ctx).toString()).toBe(entry.secret);
      expect(codeOf(() => after.decrypt(entry.record, entry.ctx))).toBe('KEY_VERSION_UNKNOWN');
    }
  });

  it('refuses to re-wrap a damaged record or one presented with another context', () => {
    const { record, ctx: c } = records[0]!;
    const damaged = Buffer.from(record.ciphertext);
    damaged[damaged.length - 1] = (damaged[damaged.length - 1] as number) ^ 1;
    expect(codeOf(() => during.rewrap({ ...record, ciphertext: damaged }, c))).toBe('DECRYPT_FAILED');
    expect(codeOf(() => during.rewrap(record, ctx('someone-else')))).toBe('DECRYPT_FAILED');
  });
});
