/**
 * Imports an operator-supplied SSH private key: OpenSSH format (also bcrypt-encrypted),
 * PEM PKCS#1 (`RSA/DSA PRIVATE KEY`, also with legacy `Proc-Type: 4,ENCRYPTED`),
 * SEC1 (`EC PRIVATE KEY`) and PKCS#8 (also `ENCRYPTED PRIVATE KEY`). Detects the type,
 * derives the public key and fingerprint, and returns it in unencrypted OpenSSH
 * format (the vault encrypts it; a passphrase would only be one more secret to keep).
 *
 * Every failure is a VaultError whose code says why: KEY_PARSE_FAILED (not a key),
 * KEY_NOT_PRIVATE, KEY_TYPE_UNSUPPORTED, KEY_ENCRYPTION_UNSUPPORTED,
 * KEY_PASSPHRASE_REQUIRED, KEY_PASSPHRASE_WRONG.
 */
import { createPrivateKey } from 'node:crypto';
import { MAX_SSH_PRIVATE_KEY_BYTES } from '@passman/contracts/limits';
import sshpk from 'sshpk';
import { decryptKeyInWorker, type DecryptKind } from './key-decrypt-worker.js';
import { assertKeyPairMatches } from './key-pair-check.js';
import { readOpenSshPrivateHeader } from './openssh-private-header.js';
import { findPemBlocks, type PemBlock } from './pem-block.js';
import { assertKeyComment, toKeyMaterial } from './sshpk-key.js';
import { isSshKeyType, sshKeyTypesText, type SshKeyMaterial } from './ssh-key-types.js';
import { VaultError } from './vault-error.js';

export type ImportedKeyFormat = 'openssh' | 'pkcs1' | 'sec1' | 'pkcs8';

export interface ImportSshKeyOptions {
  /** Needed when the key is encrypted; ignored otherwise. */
  passphrase?: string | Buffer;
  /** Replaces the key's comment; by default an OpenSSH key keeps its own. */
  comment?: string;
}

export interface ImportedSshKey extends SshKeyMaterial {
  /** The format it arrived in. */
  sourceFormat: ImportedKeyFormat;
  /** Whether it arrived passphrase-protected. */
  wasEncrypted: boolean;
}

/** bcrypt rounds beyond this would keep the pure-JS KDF busy for many seconds. */
const MAX_BCRYPT_ROUNDS = 500;
const DECRYPT_TIMEOUT_MS = 30_000;
/** OpenSSH private key ciphers sshpk can decrypt. */
const OPENSSH_CIPHERS = new Set(['aes128-ctr', 'aes192-ctr', 'aes256-ctr', 'aes128-cbc', 'aes192-cbc', 'aes256-cbc', '3des-cbc']);
const PUBLIC_LABELS = new Set(['PUBLIC KEY', 'RSA PUBLIC KEY', 'SSH2 PUBLIC KEY', 'CERTIFICATE', 'DSA PUBLIC KEY']);
const PEM_FORMATS: Record<string, ImportedKeyFormat> = {
  'RSA PRIVATE KEY': 'pkcs1',
  'DSA PRIVATE KEY': 'pkcs1',
  'EC PRIVATE KEY': 'sec1',
  'PRIVATE KEY': 'pkcs8',
  'ENCRYPTED PRIVATE KEY': 'pkcs8',
};

export async function importSshPrivateKey(input: string | Uint8Array, options: ImportSshKeyOptions = {}): Promise<ImportedSshKey> {
  assertKeyComment(options.comment);
  const text = typeof input === 'string' ? input : Buffer.from(input).toString('utf8');
  if (Buffer.byteLength(text) > MAX_SSH_PRIVATE_KEY_BYTES) throw notAKey('the input is too large to be an SSH private key');
  const passphrase = options.passphrase !== undefined && options.passphrase.length > 0 ? options.passphrase : undefined;

  const blocks = findPemBlocks(text);
  const privateBlock = blocks.find((b) => b.label === 'OPENSSH PRIVATE KEY' || Object.hasOwn(PEM_FORMATS, b.label));
  if (!privateBlock) {
    if (blocks.some((b) => PUBLIC_LABELS.has(b.label)) || looksLikePublicKeyLine(text)) {
      throw new VaultError('KEY_NOT_PRIVATE', 'this is a public key or certificate; import the private key');
    }
    if (/PuTTY-User-Key-File-/.test(text)) {
      throw notAKey('PuTTY keys are not supported; export the key in OpenSSH format from PuTTYgen');
    }
    if (blocks.some((b) => b.label.includes('PRIVATE KEY'))) {
      throw notAKey('this private key format is not supported; use OpenSSH, PKCS#1, SEC1 or PKCS#8');
    }
    throw notAKey('no SSH private key found (expected a "-----BEGIN … PRIVATE KEY-----" block)');
  }

  const imported =
    privateBlock.label === 'OPENSSH PRIVATE KEY'
      ? await importOpenSsh(privateBlock, passphrase, options.comment)
      : await importPem(privateBlock, passphrase, options.comment);
  await assertKeyPairMatches(imported);
  return imported;
}

async function importOpenSsh(block: PemBlock, passphrase: string | Buffer | undefined, comment: string | undefined): Promise<ImportedSshKey> {
  const header = readOpenSshPrivateHeader(block.der);
  if (!header || header.keyCount < 1) throw notAKey('the OpenSSH private key is damaged or truncated');
  if (header.keyCount !== 1) throw notAKey('the OpenSSH key file holds several keys; import one at a time');
  if (!isSshKeyType(header.keyType)) {
    throw new VaultError('KEY_TYPE_UNSUPPORTED', `${header.keyType ?? 'unknown'} keys are not supported: use ${sshKeyTypesText('or')}`, {
      details: { type: header.keyType },
    });
  }
  const encrypted = header.cipher !== 'none';
  let plainText = block.text;
  if (encrypted) {
    if (header.kdf !== 'bcrypt' || !OPENSSH_CIPHERS.has(header.cipher)) {
      throw new VaultError(
        'KEY_ENCRYPTION_UNSUPPORTED',
        `keys encrypted with ${header.cipher} (${header.kdf}) are not supported; remove the passphrase with "ssh-keygen -p" or re-encrypt with aes256-ctr`,
        {
          details: { cipher: header.cipher, kdf: header.kdf },
        },
      );
    }
    if ((header.rounds ?? 0) > MAX_BCRYPT_ROUNDS) {
      throw new VaultError('KEY_ENCRYPTION_UNSUPPORTED', `the key uses ${String(header.rounds)} bcrypt rounds; at most ${MAX_BCRYPT_ROUNDS} are accepted`, {
        details: { rounds: header.rounds },
      });
    }
    if (passphrase === undefined) throw passphraseRequired();
    plainText = await decrypt('openssh', block.text, passphrase);
  }
  let key: sshpk.PrivateKey;
  try {
    key = sshpk.parsePrivateKey(plainText, 'ssh');
  } catch {
    throw notAKey('the OpenSSH private key is damaged or truncated');
  }
  return { ...toKeyMaterial(key, comment), sourceFormat: 'openssh', wasEncrypted: encrypted };
}

async function importPem(block: PemBlock, passphrase: string | Buffer | undefined, comment: string | undefined): Promise<ImportedSshKey> {
  const sourceFormat = PEM_FORMATS[block.label] as ImportedKeyFormat;
  const encrypted = block.label === 'ENCRYPTED PRIVATE KEY' || /^4,\s*ENCRYPTED$/i.test(block.headers.get('proc-type') ?? '');
  let pkcs8: string;
  if (encrypted) {
    if (passphrase === undefined) throw passphraseRequired();
    pkcs8 = await decrypt('pem', block.text, passphrase);
  } else {
    try {
      pkcs8 = createPrivateKey({ key: block.text, format: 'pem' }).export({ type: 'pkcs8', format: 'pem' }) as string;
    } catch {
      throw notAKey(`the ${block.label} block is damaged or not a key OpenSSL understands`);
    }
  }
  const keyObject = createPrivateKey(pkcs8);
  const kind = keyObject.asymmetricKeyType;
  const curve = keyObject.asymmetricKeyDetails?.namedCurve;
  if (kind !== 'rsa' && kind !== 'dsa' && kind !== 'ed25519' && !(kind === 'ec' && curve === 'prime256v1')) {
    const what = kind === 'ec' ? `EC (${curve ?? 'unknown curve'})` : (kind ?? 'unknown');
    throw new VaultError('KEY_TYPE_UNSUPPORTED', `${what} keys are not supported: use RSA, ECDSA P-256, Ed25519 or DSA`, {
      details: { type: kind, curve },
    });
  }
  let key: sshpk.PrivateKey;
  try {
    key = sshpk.parsePrivateKey(pkcs8, 'pkcs8');
  } catch {
    throw notAKey('the key could not be converted to OpenSSH format');
  }
  return { ...toKeyMaterial(key, comment), sourceFormat, wasEncrypted: encrypted };
}

async function decrypt(kind: DecryptKind, text: string, passphrase: string | Buffer): Promise<string> {
  const outcome = await decryptKeyInWorker(kind, text, passphrase, DECRYPT_TIMEOUT_MS);
  if (outcome.ok) return outcome.text;
  if (outcome.reason === 'timeout') {
    throw new VaultError('KEY_ENCRYPTION_UNSUPPORTED', 'decrypting the key took too long; remove its passphrase with "ssh-keygen -p" and import it again');
  }
  // The format was already checked, so a failure here is the passphrase (or damage
  // inside the encrypted part, which no tool can tell apart from a wrong passphrase).
  throw new VaultError('KEY_PASSPHRASE_WRONG', 'the passphrase does not decrypt this key');
}

function looksLikePublicKeyLine(text: string): boolean {
  return /(^|\s)(ssh-(rsa|dss|ed25519)|ecdsa-sha2-nistp\d+|sk-[a-z0-9-]+@openssh\.com)(-cert-v01@openssh\.com)?\s+AAAA/.test(text);
}

function passphraseRequired(): VaultError {
  return new VaultError('KEY_PASSPHRASE_REQUIRED', 'the key is passphrase-protected; supply its passphrase');
}

function notAKey(message: string): VaultError {
  return new VaultError('KEY_PARSE_FAILED', message);
}
