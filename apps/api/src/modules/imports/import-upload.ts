import type { EncryptedRecord, StoredRecord, Vault } from '@passman/vault';

/** What an import's sealed upload is for: its own envelope context, so it can never pass for a credential's secret. */
export const IMPORT_UPLOAD_PURPOSE = 'import-upload';

const contextOf = (importId: string) => ({ credentialId: importId, version: 1, purpose: IMPORT_UPLOAD_PURPOSE });

/** What a worker needs to read an import's rows again: the file, and the KeePass password that opens it. */
export interface OpenedUpload {
  file: Buffer;
  kdbxPassword: string | undefined;
}

/**
 * Seals an upload for the worker that runs the import: the file and its KeePass password in one
 * record (a 4-byte length, the password, the file), under the master key like a credential. The
 * plain buffer it builds is wiped before this returns.
 */
export function sealUpload(vault: Vault, importId: string, upload: OpenedUpload): EncryptedRecord {
  const password = Buffer.from(upload.kdbxPassword ?? '', 'utf8');
  const plain = Buffer.alloc(4 + password.length + upload.file.length);
  try {
    plain.writeUInt32BE(upload.kdbxPassword === undefined ? 0xffffffff : password.length, 0);
    password.copy(plain, 4);
    upload.file.copy(plain, 4 + password.length);
    return vault.encrypt(plain, contextOf(importId));
  } finally {
    plain.fill(0);
    password.fill(0);
  }
}

/** The upload sealed by `sealUpload`, and how to wipe it; throws the vault's DECRYPT_FAILED for anything else. */
export function openUpload(vault: Vault, importId: string, sealed: StoredRecord): OpenedUpload & { wipe(): void } {
  const plain = vault.decrypt(sealed, contextOf(importId));
  const wipe = () => plain.fill(0);
  const length = plain.readUInt32BE(0);
  if (length === 0xffffffff) return { file: plain.subarray(4), kdbxPassword: undefined, wipe };
  return { file: plain.subarray(4 + length), kdbxPassword: plain.subarray(4, 4 + length).toString('utf8'), wipe };
}
