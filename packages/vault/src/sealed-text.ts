import type { StoredRecord } from './envelope.js';
import { VaultError } from './vault-error.js';

/**
 * One value sealed under the master key, kept as text (a settings row, a text column): JSON of the
 * envelope's parts, base64 for the bytes. The settings and webhooks that are not credentials store
 * their sealed values this way, so one codec reads them all; `format` names this layout, and a
 * value without it (written before it was added) is the same layout.
 */
interface SealedText {
  format?: number;
  ciphertext: string;
  wrappedKey: string;
  keyVersion: number;
}

const FORMAT = 1;

export function encodeSealedText(record: StoredRecord): string {
  const sealed: SealedText = {
    format: FORMAT,
    ciphertext: Buffer.from(record.ciphertext).toString('base64'),
    wrappedKey: Buffer.from(record.wrappedKey).toString('base64'),
    keyVersion: record.keyVersion,
  };
  return JSON.stringify(sealed);
}

/** The envelope of a value `encodeSealedText` wrote; DECRYPT_FAILED when the text is not one (nothing of it is quoted). */
export function decodeSealedText(value: string): StoredRecord {
  let parsed: Partial<SealedText>;
  try {
    parsed = JSON.parse(value) as Partial<SealedText>;
  } catch {
    throw notSealedText();
  }
  if (
    parsed === null ||
    typeof parsed !== 'object' ||
    (parsed.format !== undefined && parsed.format !== FORMAT) ||
    typeof parsed.ciphertext !== 'string' ||
    typeof parsed.wrappedKey !== 'string' ||
    !Number.isInteger(parsed.keyVersion)
  ) {
    throw notSealedText();
  }
  return { ciphertext: Buffer.from(parsed.ciphertext, 'base64'), wrappedKey: Buffer.from(parsed.wrappedKey, 'base64'), keyVersion: parsed.keyVersion! };
}

const notSealedText = () => new VaultError('DECRYPT_FAILED', 'the stored value is not a sealed value PassMan knows');
