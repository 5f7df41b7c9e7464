import { X509Certificate, createPrivateKey } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import { createSecureContext } from 'node:tls';
import { certificateNames, ensureSelfSignedCertificate, type CertificateFiles } from './self-signed.js';

/** Where PassMan's certificate comes from: files the operator names, or one it makes itself. */
export type TlsSource =
  | { kind: 'files'; certPath: string; keyPath: string }
  /** Tried in order: beside the master key first, the data directory when that one is read-only. */
  | { kind: 'self-signed'; dirs: string[]; names: string[] };

export interface TlsCredentials {
  kind: TlsSource['kind'];
  cert: string;
  key: string;
  certPath: string;
  fingerprint256: string;
  notAfter: Date;
  /** Self-signed only: made on this call, and why. */
  created?: boolean;
  reason?: CertificateFiles['reason'];
}

export class TlsConfigError extends Error {}

/**
 * The certificate's place: the directory of the master-key file (PASSMAN_MASTER_KEY_FILE, or the
 * generated `master.key` of the data directory), or the data directory when the key comes from
 * the environment.
 */
export function tlsSource(options: {
  certPath?: string;
  keyPath?: string;
  masterKeyFile?: string;
  dataDir: string;
  listenHost: string;
  extraNames: readonly string[];
}): TlsSource {
  if (options.certPath && options.keyPath) return { kind: 'files', certPath: options.certPath, keyPath: options.keyPath };
  const dirs = [...new Set([...(options.masterKeyFile ? [dirname(options.masterKeyFile)] : []), options.dataDir])];
  return { kind: 'self-signed', dirs, names: certificateNames(options.listenHost, options.extraNames) };
}

const READ_ONLY = new Set(['EACCES', 'EPERM', 'EROFS']);

export async function loadTlsCredentials(source: TlsSource): Promise<TlsCredentials> {
  if (source.kind === 'files') return loadFiles(source.certPath, source.keyPath);
  let lastError: unknown;
  for (const dir of source.dirs) {
    try {
      const files = await ensureSelfSignedCertificate({ dir, names: source.names });
      const { cert, key, certPath, fingerprint256, notAfter, created, reason } = files;
      return { kind: 'self-signed', cert, key, certPath, fingerprint256, notAfter, created, ...(reason ? { reason } : {}) };
    } catch (error) {
      if (!READ_ONLY.has((error as NodeJS.ErrnoException).code ?? '')) throw error;
      lastError = error;
    }
  }
  throw new TlsConfigError(`cannot write the self-signed certificate in ${source.dirs.join(' or ')}: ${(lastError as Error).message}`);
}

/** The operator's certificate (chain) and key, proved to belong together before PassMan serves them. */
async function loadFiles(certPath: string, keyPath: string): Promise<TlsCredentials> {
  const read = async (path: string, setting: string) => {
    try {
      return await readFile(path, 'utf8');
    } catch (error) {
      throw new TlsConfigError(`${setting}: cannot read ${path} (${(error as NodeJS.ErrnoException).code ?? 'error'})`);
    }
  };
  const [cert, key] = await Promise.all([read(certPath, 'PASSMAN_TLS_CERT'), read(keyPath, 'PASSMAN_TLS_KEY')]);
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
  } catch {
    throw new TlsConfigError(`PASSMAN_TLS_CERT: ${certPath} holds no PEM certificate`);
  }
  try {
    // Never echo the key's content or the parser's words about it.
    if (!x509.checkPrivateKey(createPrivateKey(key))) throw new Error('mismatch');
    createSecureContext({ cert, key });
  } catch {
    throw new TlsConfigError(`PASSMAN_TLS_KEY: ${keyPath} is not an unencrypted PEM private key of the certificate in ${certPath}`);
  }
  return { kind: 'files', cert, key, certPath, fingerprint256: x509.fingerprint256, notAfter: new Date(x509.validTo) };
}
