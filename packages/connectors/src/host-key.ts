import { createHash } from 'node:crypto';
import { ConnectorError } from './connector-error.js';
import type { HostKeyInfo } from './target-connector.js';

/** 'SHA256:' + unpadded base64 of the key blob's SHA-256, exactly as OpenSSH prints it. */
export function fingerprintOfBlob(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** The key blob starts with its algorithm name as an SSH string (uint32 length + bytes). */
export function describeHostKey(blob: Buffer): HostKeyInfo {
  let algorithm = 'unknown';
  if (blob.length >= 4) {
    const length = blob.readUInt32BE(0);
    if (length > 0 && length < 64 && blob.length >= 4 + length) algorithm = blob.subarray(4, 4 + length).toString('latin1');
  }
  return { algorithm, publicKey: `${algorithm} ${blob.toString('base64')}`, fingerprint: fingerprintOfBlob(blob) };
}

const PIN = /^SHA256:[A-Za-z0-9+/]{43}=?$/;

/** Accepts pins with or without base64 padding; refuses anything that is not a SHA256 fingerprint. */
export function normalizePins(pins: readonly unknown[] | undefined): string[] {
  if (!Array.isArray(pins)) throw new ConnectorError('INVALID_REQUEST', 'hostKeyPins must be an array of SHA256 fingerprints');
  return pins.map((pin) => {
    if (typeof pin !== 'string' || !PIN.test(pin.trim())) {
      throw new ConnectorError('INVALID_REQUEST', "host key pins must be 'SHA256:<base64>' fingerprints, as ssh-keygen -l prints them");
    }
    return pin.trim().replace(/=$/, '');
  });
}

/** Verdict of the host-key check of one connection. */
export interface HostKeyCheck {
  presented?: HostKeyInfo;
  rejection?: ConnectorError;
}

/**
 * A hostVerifier for ssh2 that accepts only pinned fingerprints. ssh2 accepts any host key
 * unless one is set, and it sends the credential only after the verifier said yes — so an
 * unpinned or changed key never receives a credential.
 */
export function pinnedHostVerifier(pins: readonly string[], check: HostKeyCheck): (key: Buffer) => boolean {
  return (key) => {
    const presented = describeHostKey(key);
    check.presented = presented;
    if (pins.includes(presented.fingerprint)) return true;
    const details = { algorithm: presented.algorithm, fingerprint: presented.fingerprint, publicKey: presented.publicKey };
    check.rejection =
      pins.length === 0
        ? new ConnectorError(
            'HOST_KEY_UNPINNED',
            `no host key is pinned for this target yet; it offered ${presented.algorithm} ${presented.fingerprint} (approve it first)`,
            { details },
          )
        : new ConnectorError(
            'HOST_KEY_MISMATCH',
            `the target offered host key ${presented.algorithm} ${presented.fingerprint}, which is not pinned: the host key changed or someone is in the middle`,
            { details },
          );
    return false;
  };
}
