import { createPrivateKey } from 'node:crypto';
import { isSshKeyType, type SshKeyType } from '@passman/contracts/limits';
import ssh2 from 'ssh2';
import type { ParsedKey } from 'ssh2';
import sshpk from 'sshpk';
import { ConnectorError } from './connector-error.js';

export type { SshKeyType };

function firstKey(parsed: ParsedKey | ParsedKey[] | Error): ParsedKey | undefined {
  if (parsed instanceof Error) return undefined;
  return Array.isArray(parsed) ? parsed[0] : parsed;
}

const OPENSSH_MAGIC = Buffer.from('openssh-key-v1\0', 'latin1');

/** Reads the format, not error messages: is this key protected by a passphrase? */
function isEncrypted(text: string): boolean {
  if (/-----BEGIN ENCRYPTED PRIVATE KEY-----|Proc-Type:\s*4,ENCRYPTED/.test(text)) return true;
  const match = /-----BEGIN OPENSSH PRIVATE KEY-----([\s\S]*?)-----END OPENSSH PRIVATE KEY-----/.exec(text);
  if (!match?.[1]) return false;
  const blob = Buffer.from(match[1].replace(/\s+/g, ''), 'base64');
  if (blob.length < OPENSSH_MAGIC.length + 4 || !blob.subarray(0, OPENSSH_MAGIC.length).equals(OPENSSH_MAGIC)) return false;
  const length = blob.readUInt32BE(OPENSSH_MAGIC.length);
  return blob.subarray(OPENSSH_MAGIC.length + 4, OPENSSH_MAGIC.length + 4 + length).toString('latin1') !== 'none';
}

/**
 * PEM keys ssh2 cannot read (PKCS#8, notably DSA): node:crypto decrypts and re-exports them
 * as plain PKCS#8, which sshpk converts to OpenSSH. sshpk never sees an encrypted key: on a
 * wrong passphrase it throws from a stream callback, which would crash the process.
 */
function convertPem(text: string, passphrase: string | undefined): ParsedKey | undefined {
  if (!/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text) || text.includes('OPENSSH PRIVATE KEY')) return undefined;
  try {
    const keyObject = createPrivateKey(passphrase === undefined ? { key: text, format: 'pem' } : { key: text, format: 'pem', passphrase });
    const plain = keyObject.export({ type: 'pkcs8', format: 'pem' }).toString();
    return firstKey(ssh2.utils.parseKey(sshpk.parsePrivateKey(plain, 'pkcs8').toString('openssh')));
  } catch {
    return undefined;
  }
}

/**
 * Parses a private key for ssh2 once, before connecting: `Client.connect` throws synchronously
 * on a key it cannot parse. No error message quotes the key.
 */
export function parsePrivateKey(privateKey: string, passphrase?: string): ParsedKey {
  if (passphrase === undefined && isEncrypted(privateKey)) {
    throw new ConnectorError('INVALID_SECRET', 'the private key is encrypted and no passphrase was given');
  }
  const key = firstKey(ssh2.utils.parseKey(privateKey, passphrase)) ?? convertPem(privateKey, passphrase);
  if (!key || !key.isPrivateKey()) {
    if (passphrase !== undefined) {
      throw new ConnectorError(
        'INVALID_SECRET',
        'the private key cannot be decrypted with the given passphrase (or is not an rsa, ecdsa-p256, ed25519 or dsa key)',
      );
    }
    throw new ConnectorError('UNSUPPORTED_KEY_TYPE', 'the private key cannot be parsed (expected an OpenSSH or PEM rsa, ecdsa-p256, ed25519 or dsa key)');
  }
  if (!isSshKeyType(key.type)) {
    throw new ConnectorError('UNSUPPORTED_KEY_TYPE', `key type ${key.type} is not supported`, { details: { keyType: key.type } });
  }
  return key;
}

export interface PublicKeyLine {
  type: SshKeyType;
  /** base64 of the key blob, what identifies the key in authorized_keys. */
  blob: string;
  /** Canonical "<type> <base64> [comment]" line to install. */
  line: string;
}

/** Validates an authorized_keys-style public key (no options) and normalises it. */
export function parsePublicKeyLine(input: unknown): PublicKeyLine {
  if (typeof input !== 'string' || /[\r\n\0]/.test(input.trim())) {
    throw new ConnectorError('INVALID_REQUEST', 'public key must be a single "<type> <base64> [comment]" line');
  }
  let key: sshpk.Key;
  try {
    key = sshpk.parseKey(input.trim(), 'ssh');
  } catch {
    throw new ConnectorError('INVALID_REQUEST', 'public key must be a single "<type> <base64> [comment]" line');
  }
  const [type = '', blob = ''] = key.toString('ssh').split(' ');
  if (!isSshKeyType(type)) {
    throw new ConnectorError('UNSUPPORTED_KEY_TYPE', `key type ${type} is not supported`, { details: { keyType: type } });
  }
  // Keep a comment only when it is plain text (it is written into the file by a script).
  const comment = input.trim().split(/\s+/).slice(2).join(' ');
  const safeComment = /^[A-Za-z0-9@._+=:,/-][A-Za-z0-9@._+=:,/ -]{0,199}$/.test(comment) ? ` ${comment}` : '';
  return { type, blob, line: `${type} ${blob}${safeComment}` };
}
