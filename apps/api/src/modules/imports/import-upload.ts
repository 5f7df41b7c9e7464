import type { EncryptedRecord, StoredRecord, Vault } from '@passman/vault';

/** The most plaintext one sealed part of an upload holds: small enough that no statement carries much. */
export const UPLOAD_PART_BYTES = 256 * 1024;

/**
 * Each part has its own envelope context: the import, its place (`version`, from 1), and whether more
 * parts follow. A part moved to another import or place, a part missing from the middle, or parts cut
 * off the end (the new last part was sealed as one that more follow) all fail to open. The last
 * part's context is the one an upload sealed as a single record always had, so such an upload is a
 * valid upload of one part. Neither can pass for a credential's secret.
 */
const LAST_PART_PURPOSE = 'import-upload';
const MORE_PARTS_PURPOSE = 'import-upload.more';
const contextOf = (importId: string, part: number, last: boolean) => ({
  credentialId: importId,
  version: part + 1,
  purpose: last ? LAST_PART_PURPOSE : MORE_PARTS_PURPOSE,
});

/** The envelope context of part `part` of an upload of `partCount` parts (for the master-key rewrap). */
export const uploadPartContext = (importId: string, part: number, partCount: number) => contextOf(importId, part, part === partCount - 1);

/** What a worker needs to read an import's rows again: the file, and the KeePass password that opens it. */
export interface OpenedUpload {
  file: Buffer;
  kdbxPassword: string | undefined;
}

const NO_PASSWORD = 0xffffffff;

/**
 * Seals an upload for the worker that runs the import, a part at a time as the caller takes them:
 * the plaintext is a 4-byte length, the KeePass password and the file, cut into parts of
 * `UPLOAD_PART_BYTES`, each sealed under the master key like a credential. Every plain buffer it
 * builds is wiped before the next part is taken.
 */
export function* sealUploadParts(vault: Vault, importId: string, upload: OpenedUpload): Generator<EncryptedRecord> {
  const password = Buffer.from(upload.kdbxPassword ?? '', 'utf8');
  const header = Buffer.alloc(4 + password.length);
  try {
    header.writeUInt32BE(upload.kdbxPassword === undefined ? NO_PASSWORD : password.length, 0);
    password.copy(header, 4);
    const total = header.length + upload.file.length;
    for (let part = 0, offset = 0; offset < total; part += 1, offset += UPLOAD_PART_BYTES) {
      const end = Math.min(total, offset + UPLOAD_PART_BYTES);
      const plain = Buffer.alloc(end - offset);
      let sealed: EncryptedRecord;
      try {
        if (offset < header.length) header.copy(plain, 0, offset, Math.min(end, header.length));
        if (end > header.length) upload.file.copy(plain, Math.max(0, header.length - offset), Math.max(0, offset - header.length), end - header.length);
        sealed = vault.encrypt(plain, contextOf(importId, part, end === total));
      } finally {
        plain.fill(0);
      }
      yield sealed;
    }
  } finally {
    header.fill(0);
    password.fill(0);
  }
}

/**
 * The upload sealed by `sealUploadParts`, read a part at a time (`readPart(0)`, `readPart(1)` …, `partCount`
 * of them), and how to wipe it; null when a part is missing. Throws the vault's DECRYPT_FAILED for
 * anything that was not sealed as this import's upload, in this order and this length.
 */
export async function openUpload(
  vault: Vault,
  importId: string,
  partCount: number,
  readPart: (part: number) => Promise<StoredRecord | null>,
): Promise<(OpenedUpload & { wipe(): void }) | null> {
  if (partCount < 1) return null;
  const parts: Buffer[] = [];
  let complete = false;
  try {
    for (let part = 0; part < partCount; part += 1) {
      const sealed = await readPart(part);
      if (!sealed) return null;
      parts.push(vault.decrypt(sealed, contextOf(importId, part, part === partCount - 1)));
    }
    complete = true;
  } finally {
    if (!complete) parts.forEach((p) => p.fill(0));
  }
  const plain = parts.length === 1 ? parts[0]! : Buffer.concat(parts);
  if (parts.length > 1) parts.forEach((p) => p.fill(0));
  const wipe = () => plain.fill(0);
  const length = plain.readUInt32BE(0);
  if (length === NO_PASSWORD) return { file: plain.subarray(4), kdbxPassword: undefined, wipe };
  return { file: plain.subarray(4 + length), kdbxPassword: plain.subarray(4, 4 + length).toString('utf8'), wipe };
}
