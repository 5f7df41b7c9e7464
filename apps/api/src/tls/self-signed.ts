import { X509Certificate, createPrivateKey, generateKeyPair, randomBytes } from 'node:crypto';
import { chmod, mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import forge from 'node-forge';

export const CERT_FILE = 'tls-cert.pem';
export const KEY_FILE = 'tls-key.pem';

const generateRsaKeyPair = promisify(generateKeyPair);
const DAY = 86_400_000;
/** Under the 398 days browsers accept for a server certificate. */
const VALID_DAYS = 365;
/** Made anew this long before it ends, so a restart or SIGHUP in the last month renews it. */
const RENEW_BEFORE_DAYS = 30;

export interface CertificateFiles {
  cert: string;
  key: string;
  certPath: string;
  keyPath: string;
  /** SHA-256 of the certificate (DER), colon-separated hex, as browsers and OpenSSL show it. */
  fingerprint256: string;
  notAfter: Date;
  /** True when this call made the certificate; `reason` says why. */
  created: boolean;
  reason?: 'missing' | 'unreadable' | 'key-mismatch' | 'expiring' | 'names';
}

/**
 * The names the certificate must hold: loopback (how an operator on the machine opens it), the
 * address PassMan listens on (the machine's name instead of a wildcard such as 0.0.0.0), and
 * the operator's extra names.
 */
export function certificateNames(listenHost: string, extra: readonly string[]): string[] {
  const wildcard = listenHost === '0.0.0.0' || listenHost === '::' || listenHost === '';
  const own = wildcard ? [hostname().toLowerCase()] : [listenHost.toLowerCase()];
  return [...new Set(['localhost', '127.0.0.1', '::1', ...own, ...extra.map((n) => n.toLowerCase())])];
}

/** A fresh RSA key (Node's crypto: native and fast) and a self-signed certificate for `names`, made with node-forge. */
export async function createSelfSignedCertificate(names: readonly string[], now = new Date()): Promise<{ cert: string; key: string }> {
  // Off the event loop: a renewal (SIGHUP, daily check) must not stall requests.
  const { privateKey: key, publicKey } = await generateRsaKeyPair('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs8', format: 'pem' },
  });
  const certificate = forge.pki.createCertificate();
  certificate.publicKey = forge.pki.publicKeyFromPem(publicKey);
  const serial = randomBytes(16);
  serial[0] = serial[0]! & 0x7f; // a positive serial number
  certificate.serialNumber = serial.toString('hex');
  certificate.validity.notBefore = new Date(now.getTime() - 5 * 60_000); // tolerate clocks a little behind
  certificate.validity.notAfter = new Date(now.getTime() + VALID_DAYS * DAY);
  const subject = [
    { name: 'commonName', value: names.find((n) => !isIP(n) && n !== 'localhost') ?? 'localhost' },
    { name: 'organizationName', value: 'PassMan (self-signed)' },
  ];
  certificate.setSubject(subject);
  certificate.setIssuer(subject);
  certificate.setExtensions([
    { name: 'basicConstraints', cA: false, critical: true },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    { name: 'subjectAltName', altNames: names.map((n) => (isIP(n) ? { type: 7, ip: n } : { type: 2, value: n })) },
    { name: 'subjectKeyIdentifier' },
  ]);
  certificate.sign(forge.pki.privateKeyFromPem(key), forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(certificate), key };
}

/** Why the stored certificate cannot be used as it is, or null when it can. */
function staleReason(cert: string, key: string, names: readonly string[], now: Date): CertificateFiles['reason'] | null {
  let x509: X509Certificate;
  try {
    x509 = new X509Certificate(cert);
    if (!x509.checkPrivateKey(createPrivateKey(key))) return 'key-mismatch';
  } catch {
    return 'unreadable';
  }
  if (Date.parse(x509.validTo) - now.getTime() < RENEW_BEFORE_DAYS * DAY || Date.parse(x509.validFrom) > now.getTime()) return 'expiring';
  const holds = (name: string) => (isIP(name) ? x509.checkIP(name) !== undefined : x509.checkHost(name, { subject: 'never' }) !== undefined);
  return names.every(holds) ? null : 'names';
}

async function readIfExists(path: string): Promise<string | null> {
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw error;
  }
}

/** Written whole or not at all (a crash mid-write must not leave half a key), mode 0600 from the start. */
async function writePrivateFile(path: string, content: string): Promise<void> {
  const temporary = `${path}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(temporary, content, { mode: 0o600, flag: 'wx' });
  await rename(temporary, path);
}

/**
 * The self-signed certificate of `dir` (beside the master key): kept while it is readable,
 * matches its key, holds every name and has more than a month left; made anew otherwise.
 */
export async function ensureSelfSignedCertificate(options: { dir: string; names: readonly string[]; now?: Date }): Promise<CertificateFiles> {
  const now = options.now ?? new Date();
  const certPath = join(options.dir, CERT_FILE);
  const keyPath = join(options.dir, KEY_FILE);
  const [storedCert, storedKey] = await Promise.all([readIfExists(certPath), readIfExists(keyPath)]);
  const reason = storedCert === null || storedKey === null ? 'missing' : staleReason(storedCert, storedKey, options.names, now);
  if (reason === null) {
    // The key is a secret: whatever loosened its mode, it is 0600 again.
    await Promise.all([chmod(keyPath, 0o600), chmod(certPath, 0o600)]);
    return { ...describe(storedCert!, storedKey!), certPath, keyPath, created: false };
  }
  await mkdir(options.dir, { recursive: true, mode: 0o700 });
  const made = await createSelfSignedCertificate(options.names, now);
  // Key first: a crash between the two leaves a mismatch, which the next start repairs.
  await writePrivateFile(keyPath, made.key);
  await writePrivateFile(certPath, made.cert);
  return { ...describe(made.cert, made.key), certPath, keyPath, created: true, reason };
}

function describe(cert: string, key: string): Pick<CertificateFiles, 'cert' | 'key' | 'fingerprint256' | 'notAfter'> {
  const x509 = new X509Certificate(cert);
  return { cert, key, fingerprint256: x509.fingerprint256, notAfter: new Date(x509.validTo) };
}
