import { describe, expect, it } from '@jest/globals';
import { randomBytes, randomUUID } from 'node:crypto';
import { createMasterKeyRing, createVault, isVaultError, type EncryptedRecord, type Vault } from '@passman/vault';
import { openUpload, sealUploadParts, UPLOAD_PART_BYTES } from './import-upload.js';

const vault: Vault = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, randomBytes(32)]]), activeVersion: 1 }) });

const open = (importId: string, parts: (EncryptedRecord | null)[]) => openUpload(vault, importId, parts.length, async (part) => parts[part] ?? null);

async function decryptFailure(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (error) {
    if (isVaultError(error)) return error.code;
    throw error;
  }
  return 'opened';
}

describe('an import upload sealed in parts', () => {
  it('opens to the same file and password, across part boundaries and for a file of one part', async () => {
    for (const size of [0, 1, UPLOAD_PART_BYTES - 9, UPLOAD_PART_BYTES, 3 * UPLOAD_PART_BYTES + 17]) {
      for (const kdbxPassword of [undefined, '', 'pässwörd 🔑']) {
        const importId = randomUUID();
        const file = randomBytes(size);
        const parts = [...sealUploadParts(vault, importId, { file, kdbxPassword })];
        const passwordBytes = kdbxPassword === undefined ? 0 : Buffer.byteLength(kdbxPassword);
        expect(parts).toHaveLength(Math.max(1, Math.ceil((4 + passwordBytes + size) / UPLOAD_PART_BYTES)));
        const opened = await open(importId, parts);
        expect(opened && { same: opened.file.equals(file), kdbxPassword: opened.kdbxPassword }).toEqual({ same: true, kdbxPassword });
      }
    }
  });

  it('wipes what it opened when asked, and leaves the caller’s file alone while sealing', async () => {
    const importId = randomUUID();
    const file = Buffer.alloc(2 * UPLOAD_PART_BYTES, 7);
    const parts = [...sealUploadParts(vault, importId, { file, kdbxPassword: 'secret' })];
    expect(file.every((b) => b === 7)).toBe(true);
    const opened = (await open(importId, parts))!;
    opened.wipe();
    expect(opened.file.every((b) => b === 0)).toBe(true);
  });

  // Someone with the database but not the master key: rows moved, dropped or swapped never open.
  describe('refuses parts that are not this upload’s, in its order and length', () => {
    const importId = randomUUID();
    const parts = [...sealUploadParts(vault, importId, { file: randomBytes(3 * UPLOAD_PART_BYTES), kdbxPassword: undefined })];

    it('a part missing from the middle (the next one moved up)', async () => {
      expect(await decryptFailure(open(importId, [parts[0]!, parts[2]!, parts[3]!]))).toBe('DECRYPT_FAILED');
    });
    it('parts cut off the end', async () => {
      expect(await decryptFailure(open(importId, parts.slice(0, 2)))).toBe('DECRYPT_FAILED');
    });
    it('two parts swapped', async () => {
      expect(await decryptFailure(open(importId, [parts[1]!, parts[0]!, parts[2]!, parts[3]!]))).toBe('DECRYPT_FAILED');
    });
    it('the parts of another import', async () => {
      expect(await decryptFailure(open(randomUUID(), parts))).toBe('DECRYPT_FAILED');
    });
    it('a part counted but absent: nothing to open', async () => {
      expect(await open(importId, [parts[0]!, null, parts[2]!, parts[3]!])).toBeNull();
      expect(await open(importId, [])).toBeNull();
    });
  });

  it('opens an upload sealed as one record before uploads had parts', async () => {
    const importId = randomUUID();
    const file = Buffer.from('Target_type,Target\nssh,db1\n');
    const plain = Buffer.concat([Buffer.from([0xff, 0xff, 0xff, 0xff]), file]);
    const single = vault.encrypt(plain, { credentialId: importId, version: 1, purpose: 'import-upload' });
    const opened = await open(importId, [single]);
    expect(opened && { file: opened.file.toString(), kdbxPassword: opened.kdbxPassword }).toEqual({ file: file.toString(), kdbxPassword: undefined });
  });
});
