import { describe, expect, it } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { CREDENTIAL_SECRET_PURPOSE, type EnvelopeContext } from './aad.js';
import { createVault } from './envelope.js';
import { createMasterKeyRing } from './master-key-ring.js';
import { decodeSealedText, encodeSealedText } from './sealed-text.js';
import { VaultError } from './vault-error.js';

const context: EnvelopeContext = { credentialId: 'setting', version: 1, purpose: CREDENTIAL_SECRET_PURPOSE };
const vault = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, randomBytes(32)]]), activeVersion: 1 }) });

describe('sealed values kept as text', () => {
  it('opens what it wrote, and says which master key wraps it', () => {
    const text = encodeSealedText(vault.encrypt('bind-password-1', context));
    expect(JSON.parse(text)).toMatchObject({ format: 1, keyVersion: 1 });
    expect(text).not.toContain('bind-password-1');
    const record = decodeSealedText(text);
    expect(record.keyVersion).toBe(1);
    expect(vault.decrypt(record, context).toString('utf8')).toBe('bind-password-1');
  });

  it('reads values written before the layout carried its format', () => {
    const { format: _format, ...legacy } = JSON.parse(encodeSealedText(vault.encrypt('client-secret-1', context))) as Record<string, unknown>;
    expect(vault.decrypt(decodeSealedText(JSON.stringify(legacy)), context).toString('utf8')).toBe('client-secret-1');
  });

  it.each([
    ['not JSON', 'sk-live-not-json{'],
    ['JSON null', 'null'],
    ['another format', JSON.stringify({ format: 2, ciphertext: 'AA==', wrappedKey: 'AA==', keyVersion: 1 })],
    ['no key version', JSON.stringify({ format: 1, ciphertext: 'AA==', wrappedKey: 'AA==' })],
    ['a key version that is not a whole number', JSON.stringify({ ciphertext: 'AA==', wrappedKey: 'AA==', keyVersion: '1' })],
    ['bytes that are not text', JSON.stringify({ ciphertext: 1, wrappedKey: 'AA==', keyVersion: 1 })],
  ])('refuses %s with DECRYPT_FAILED, quoting nothing of it', (_what, text) => {
    let error: unknown;
    try {
      decodeSealedText(text);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(VaultError);
    expect((error as VaultError).code).toBe('DECRYPT_FAILED');
    expect((error as VaultError).message).not.toContain(text);
  });
});
