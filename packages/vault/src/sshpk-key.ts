/**
 * Turns a parsed sshpk private key into what the vault stores: the OpenSSH private
 * format, the authorized_keys line, bits, fingerprint and weakness. sshpk writes the
 * OpenSSH private format for all four types (ssh2's own generator does not do DSA).
 */
import type sshpk from 'sshpk';
import { sshFingerprint } from './fingerprint.js';
import { DSA_BITS, isWeakSshKey, RSA_IMPORT_MAX_BITS, RSA_IMPORT_MIN_BITS, sshKeyTypesText, type SshKeyMaterial, type SshKeyType } from './ssh-key-types.js';
import { VaultError } from './vault-error.js';

const COMMENT_PATTERN = /^[\x20-\x7e]{0,200}$/;

export function assertKeyComment(comment: string | undefined): void {
  if (comment !== undefined && (typeof comment !== 'string' || !COMMENT_PATTERN.test(comment))) {
    throw new VaultError('KEY_SPEC_INVALID', 'a key comment must be at most 200 printable ASCII characters on one line');
  }
}

export function sshKeyTypeOf(key: sshpk.PrivateKey): SshKeyType {
  switch (key.type) {
    case 'rsa':
      return 'ssh-rsa';
    case 'dsa':
      return 'ssh-dss';
    case 'ed25519':
      return 'ssh-ed25519';
    case 'ecdsa':
      if (key.curve === 'nistp256') return 'ecdsa-sha2-nistp256';
      throw unsupported(`ecdsa-sha2-${String(key.curve)}`);
    default:
      throw unsupported(String(key.type));
  }
}

/** @param comment replaces the key's comment; undefined keeps it (sshpk's "(unnamed)" placeholder becomes none). */
export function toKeyMaterial(key: sshpk.PrivateKey, comment?: string): SshKeyMaterial {
  assertKeyComment(comment);
  const type = sshKeyTypeOf(key);
  const bits = key.size;
  if (type === 'ssh-rsa' && (bits < RSA_IMPORT_MIN_BITS || bits > RSA_IMPORT_MAX_BITS)) {
    throw new VaultError('KEY_TYPE_UNSUPPORTED', `RSA keys must have ${RSA_IMPORT_MIN_BITS} to ${RSA_IMPORT_MAX_BITS} bits (this one has ${bits})`, {
      details: { type, bits },
    });
  }
  if (type === 'ssh-dss' && bits !== DSA_BITS) {
    throw new VaultError('KEY_TYPE_UNSUPPORTED', `OpenSSH only uses ${DSA_BITS}-bit DSA keys (this one has ${bits})`, {
      details: { type, bits },
    });
  }
  const kept = key.comment === undefined || key.comment === '(unnamed)' ? '' : key.comment;
  key.comment = comment ?? (COMMENT_PATTERN.test(kept) ? kept : '');
  const publicKey = key.toPublic();
  return {
    type,
    bits,
    privateKey: key.toString('openssh'),
    publicKey: publicKey.toString('ssh').trim(),
    fingerprint: sshFingerprint(publicKey.toBuffer('rfc4253')),
    weak: isWeakSshKey(type, bits),
  };
}

function unsupported(what: string): VaultError {
  return new VaultError('KEY_TYPE_UNSUPPORTED', `${what} keys are not supported: use ${sshKeyTypesText('or')}`, {
    details: { type: what },
  });
}
