/**
 * SSH key fingerprints as OpenSSH prints them (`ssh-keygen -l`, host key prompts):
 * `SHA256:` + base64 of SHA-256 over the public key blob, without `=` padding.
 */
import { createHash } from 'node:crypto';
import { VaultError } from './vault-error.js';

export function sshFingerprint(publicKeyBlob: Uint8Array): string {
  return `SHA256:${createHash('sha256').update(publicKeyBlob).digest('base64').replace(/=+$/, '')}`;
}

/**
 * The fingerprint of an authorized_keys / known_hosts style line (`<type> <base64>
 * [comment]`, optionally preceded by options or host names). The blob's own type
 * name must agree with the line's.
 */
export function fingerprintOfPublicKey(line: string): string {
  return sshFingerprint(publicKeyBlobOf(line));
}

export function publicKeyBlobOf(line: string): Buffer {
  const tokens = line.trim().split(/\s+/);
  for (let i = 0; i + 1 < tokens.length; i += 1) {
    const type = tokens[i] as string;
    const data = tokens[i + 1] as string;
    if (!/^[a-z0-9@.-]+$/.test(type) || !/^[A-Za-z0-9+/]+={0,2}$/.test(data)) continue;
    const blob = Buffer.from(data, 'base64');
    if (blobType(blob) === type) return blob;
  }
  throw new VaultError('KEY_PARSE_FAILED', 'not an SSH public key line (expected "<type> <base64> [comment]")');
}

/** The key type name at the start of an SSH wire-format public key blob. */
export function blobType(blob: Buffer): string | undefined {
  if (blob.length < 4) return undefined;
  const len = blob.readUInt32BE(0);
  if (len === 0 || len > 64 || blob.length < 4 + len) return undefined;
  return blob.subarray(4, 4 + len).toString('latin1');
}
