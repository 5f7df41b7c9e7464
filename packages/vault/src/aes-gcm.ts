/**
 * AES-256-GCM with a self-describing layout: format byte ‖ 96-bit nonce ‖ ciphertext ‖
 * 128-bit tag. The format byte is part of the AAD, so it cannot be swapped either.
 * A fresh random nonce per call: keys here either encrypt exactly one message (data
 * keys) or wrap one 32-byte data key per record (master keys), far below the 2^32
 * random-nonce limit NIST SP 800-38D sets per key.
 */
import { createCipheriv, createDecipheriv, randomBytes, type KeyObject } from 'node:crypto';

export const GCM_FORMAT_V1 = 1;
export const NONCE_BYTES = 12;
export const TAG_BYTES = 16;
const HEADER_BYTES = 1 + NONCE_BYTES;

export function gcmSeal(key: KeyObject | Buffer, plaintext: Buffer, aad: Buffer): Buffer<ArrayBuffer> {
  const nonce = randomBytes(NONCE_BYTES);
  const header = Buffer.concat([Buffer.from([GCM_FORMAT_V1]), nonce]);
  const cipher = createCipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(Buffer.concat([header, aad]));
  const body = Buffer.concat([cipher.update(plaintext), cipher.final()]);
  return Buffer.concat([header, body, cipher.getAuthTag()]);
}

/** Returns the plaintext, or `undefined` when the blob is malformed or fails authentication. */
export function gcmOpen(key: KeyObject | Buffer, sealed: Buffer, aad: Buffer): Buffer | undefined {
  if (!Buffer.isBuffer(sealed) || sealed.length < HEADER_BYTES + TAG_BYTES || sealed[0] !== GCM_FORMAT_V1) {
    return undefined;
  }
  const header = sealed.subarray(0, HEADER_BYTES);
  const nonce = sealed.subarray(1, HEADER_BYTES);
  const body = sealed.subarray(HEADER_BYTES, sealed.length - TAG_BYTES);
  const tag = sealed.subarray(sealed.length - TAG_BYTES);
  try {
    const decipher = createDecipheriv('aes-256-gcm', key, nonce, { authTagLength: TAG_BYTES });
    decipher.setAAD(Buffer.concat([header, aad]));
    decipher.setAuthTag(tag);
    return Buffer.concat([decipher.update(body), decipher.final()]);
  } catch {
    // OpenSSL's failure says nothing useful and we must not distinguish causes anyway.
    return undefined;
  }
}

/** The nonce of a sealed blob (for tests and diagnostics; nonces are not secret). */
export function nonceOf(sealed: Buffer): Buffer {
  return sealed.subarray(1, HEADER_BYTES);
}
