/**
 * Reads the unencrypted header of an OpenSSH private key (PROTOCOL.key in OpenSSH):
 *   "openssh-key-v1\0", string cipher, string kdf, string kdfoptions,
 *   uint32 number of keys, string public key blob, string (encrypted) private part.
 * This tells the key type and whether and how it is encrypted before any passphrase
 * is tried, so "unsupported type" and "passphrase required" are known for certain.
 */
import { blobType } from './fingerprint.js';

export interface OpenSshPrivateHeader {
  cipher: string;
  kdf: string;
  /** bcrypt rounds when kdf is `bcrypt`. */
  rounds: number | undefined;
  keyCount: number;
  /** The first key's type name, e.g. `ssh-ed25519`. */
  keyType: string | undefined;
  publicKeyBlob: Buffer;
}

const MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** @returns undefined when the bytes are not an OpenSSH private key container. */
export function readOpenSshPrivateHeader(der: Buffer): OpenSshPrivateHeader | undefined {
  if (der.length < MAGIC.length || !der.subarray(0, MAGIC.length).equals(MAGIC)) return undefined;
  let offset = MAGIC.length;
  const bytes = (): Buffer | undefined => {
    if (offset + 4 > der.length) return undefined;
    const len = der.readUInt32BE(offset);
    if (offset + 4 + len > der.length) return undefined;
    const out = der.subarray(offset + 4, offset + 4 + len);
    offset += 4 + len;
    return out;
  };
  const cipher = bytes()?.toString('latin1');
  const kdf = bytes()?.toString('latin1');
  const kdfOptions = bytes();
  if (cipher === undefined || kdf === undefined || kdfOptions === undefined || offset + 4 > der.length) return undefined;
  const keyCount = der.readUInt32BE(offset);
  offset += 4;
  const publicKeyBlob = bytes();
  if (publicKeyBlob === undefined) return undefined;

  let rounds: number | undefined;
  if (kdf === 'bcrypt' && kdfOptions.length >= 4) {
    const saltLength = kdfOptions.readUInt32BE(0);
    if (kdfOptions.length >= 8 + saltLength) rounds = kdfOptions.readUInt32BE(4 + saltLength);
  }
  return { cipher, kdf, rounds, keyCount, keyType: blobType(publicKeyBlob), publicKeyBlob };
}
