/**
 * Envelope encryption of credential secrets.
 *
 * Each record gets a fresh random 256-bit data key; the secret is sealed with it
 * (AES-256-GCM, AAD = the record's context), and the data key is sealed under the
 * active master key (AES-256-GCM, AAD = the same context plus the master key
 * version). The database row keeps the three parts of `EncryptedRecord`.
 *
 * Why per-record keys: rotating the master key only re-wraps 32-byte data keys
 * (`rewrap`), the secrets' ciphertexts never change, and one data key never
 * encrypts more than one message, so its nonce can never repeat.
 */
import { randomBytes } from 'node:crypto';
import { assertContext, encodeAad, isU32, type EnvelopeContext } from './aad.js';
import { gcmOpen, gcmSeal } from './aes-gcm.js';
import type { MasterKeyRing } from './master-key-ring.js';
import { VaultError } from './vault-error.js';

/** What `encrypt` and `rewrap` return; the three columns of a credential version row. */
export interface EncryptedRecord {
  /** format byte ‖ nonce ‖ AES-256-GCM ciphertext ‖ tag, under the data key. */
  ciphertext: Buffer<ArrayBuffer>;
  /** format byte ‖ nonce ‖ the data key encrypted under master key `keyVersion` ‖ tag. */
  wrappedKey: Buffer<ArrayBuffer>;
  keyVersion: number;
}

/** What `decrypt` and `rewrap` accept: Prisma hands `Bytes` columns back as Uint8Array. */
export interface StoredRecord {
  ciphertext: Uint8Array;
  wrappedKey: Uint8Array;
  keyVersion: number;
}

export interface Vault {
  /** True when no usable master key is loaded: every operation throws VaultError SEALED. */
  readonly sealed: boolean;
  /** Why it is sealed (a VaultError code such as MASTER_KEY_MISSING), when it is. */
  readonly sealedReason: string | undefined;
  /** The master key version new records are wrapped under (undefined when sealed). */
  readonly activeKeyVersion: number | undefined;
  encrypt(plaintext: Uint8Array | string, ctx: EnvelopeContext): EncryptedRecord;
  /** The plaintext; throws DECRYPT_FAILED for any tampering, wrong context or wrong key. */
  decrypt(record: StoredRecord, ctx: EnvelopeContext): Buffer;
  /** Whether `rewrap` would change the record (its key version is not the active one). */
  needsRewrap(record: Pick<StoredRecord, 'keyVersion'>): boolean;
  /**
   * The same secret with its data key wrapped under the active master key; the
   * ciphertext is unchanged. Verifies the whole record first, so a damaged record
   * is reported (DECRYPT_FAILED) instead of being carried over.
   */
  rewrap(record: StoredRecord, ctx: EnvelopeContext): EncryptedRecord;
}

export interface CreateVaultOptions {
  /** The master keys; null or undefined makes a sealed vault. */
  keyRing: MasterKeyRing | null | undefined;
  /** Reported as `sealedReason` when `keyRing` is missing. */
  sealedReason?: string;
}

const DATA_KEY_BYTES = 32;

export function createVault({ keyRing, sealedReason }: CreateVaultOptions): Vault {
  if (!keyRing) return createSealedVault(sealedReason ?? 'MASTER_KEY_MISSING');
  const ring = keyRing;

  function unwrapDataKey(record: StoredBuffers, ctx: EnvelopeContext): Buffer {
    const masterKey = ring.keyFor(record.keyVersion); // KEY_VERSION_UNKNOWN: an operational fact, not an oracle
    const dataKey = gcmOpen(masterKey, record.wrappedKey, encodeAad('passman.data-key', ctx, record.keyVersion));
    if (!dataKey || dataKey.length !== DATA_KEY_BYTES) throw decryptFailed();
    return dataKey;
  }

  function openRecord(stored: StoredRecord, ctx: EnvelopeContext): { record: StoredBuffers; plaintext: Buffer; dataKey: Buffer } {
    assertContext(ctx);
    const record = asBuffers(stored);
    const dataKey = unwrapDataKey(record, ctx);
    const plaintext = gcmOpen(dataKey, record.ciphertext, encodeAad('passman.data', ctx));
    if (!plaintext) {
      dataKey.fill(0);
      throw decryptFailed();
    }
    return { record, plaintext, dataKey };
  }

  return Object.freeze({
    sealed: false,
    sealedReason: undefined,
    activeKeyVersion: ring.activeVersion,

    encrypt(plaintext, ctx) {
      assertContext(ctx);
      if (typeof plaintext !== 'string' && !(plaintext instanceof Uint8Array)) {
        throw new VaultError('CONTEXT_INVALID', 'plaintext must be a string or bytes');
      }
      const input = typeof plaintext === 'string' ? Buffer.from(plaintext, 'utf8') : view(plaintext);
      const dataKey = randomBytes(DATA_KEY_BYTES);
      try {
        const keyVersion = ring.activeVersion;
        return {
          ciphertext: gcmSeal(dataKey, input, encodeAad('passman.data', ctx)),
          wrappedKey: gcmSeal(ring.keyFor(keyVersion), dataKey, encodeAad('passman.data-key', ctx, keyVersion)),
          keyVersion,
        };
      } finally {
        dataKey.fill(0);
        if (typeof plaintext === 'string') input.fill(0); // our own UTF-8 copy of a string secret
      }
    },

    decrypt(record, ctx) {
      const { plaintext, dataKey } = openRecord(record, ctx);
      dataKey.fill(0);
      return plaintext;
    },

    needsRewrap(record) {
      return record.keyVersion !== ring.activeVersion;
    },

    rewrap(stored, ctx) {
      const { record, plaintext, dataKey } = openRecord(stored, ctx);
      plaintext.fill(0);
      try {
        const keyVersion = ring.activeVersion;
        if (record.keyVersion === keyVersion) {
          return { ciphertext: Buffer.from(record.ciphertext), wrappedKey: Buffer.from(record.wrappedKey), keyVersion };
        }
        return {
          ciphertext: Buffer.from(record.ciphertext),
          wrappedKey: gcmSeal(ring.keyFor(keyVersion), dataKey, encodeAad('passman.data-key', ctx, keyVersion)),
          keyVersion,
        };
      } finally {
        dataKey.fill(0);
      }
    },
  } satisfies Vault);
}

function createSealedVault(reason: string): Vault {
  const sealed = (): never => {
    throw new VaultError('SEALED', 'the vault is sealed: no usable master key is loaded', { details: { reason } });
  };
  return Object.freeze({
    sealed: true,
    sealedReason: reason,
    activeKeyVersion: undefined,
    encrypt: sealed,
    decrypt: sealed,
    needsRewrap: sealed,
    rewrap: sealed,
  });
}

interface StoredBuffers {
  ciphertext: Buffer;
  wrappedKey: Buffer;
  keyVersion: number;
}

/** Validates the shape and views the bytes as Buffers (no copy). */
function asBuffers(record: StoredRecord): StoredBuffers {
  if (
    record === null ||
    typeof record !== 'object' ||
    !(record.ciphertext instanceof Uint8Array) ||
    !(record.wrappedKey instanceof Uint8Array) ||
    !isU32(record.keyVersion)
  ) {
    throw decryptFailed();
  }
  return { ciphertext: view(record.ciphertext), wrappedKey: view(record.wrappedKey), keyVersion: record.keyVersion };
}

function view(bytes: Uint8Array): Buffer {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
}

function decryptFailed(): VaultError {
  // One code for every cause (tampering, another row's context, a wrong key), so
  // nothing can be learnt from which check failed.
  return new VaultError('DECRYPT_FAILED', 'the stored secret could not be decrypted');
}
