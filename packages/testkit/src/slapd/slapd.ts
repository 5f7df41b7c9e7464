import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import forge from 'node-forge';
import { ensureDebianPackages } from '../debian-packages.js';
import { acceptsConnections, freePort } from '../loopback.js';

/** A CA and a server certificate it signed, made with node-forge (PEM); a client certificate too when asked for. */
export interface TestPki {
  caPem: string;
  certPem: string;
  keyPem: string;
  client?: { certPem: string; keyPem: string };
}

function rsaKeys() {
  // Node's RSA generation is native; forge's would take seconds of CPU.
  const { privateKey, publicKey } = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
    publicKeyEncoding: { type: 'spki', format: 'pem' },
  });
  return {
    privateKey: forge.pki.privateKeyFromPem(privateKey) as forge.pki.rsa.PrivateKey,
    publicKey: forge.pki.publicKeyFromPem(publicKey),
    keyPem: privateKey,
  };
}

function certificate(subject: string, publicKey: forge.pki.PublicKey, issuer: { name: string; key: forge.pki.rsa.PrivateKey }, extensions: object[]) {
  const cert = forge.pki.createCertificate();
  cert.publicKey = publicKey;
  cert.serialNumber = `01${randomBytes(8).toString('hex')}`;
  cert.validity.notBefore = new Date(Date.now() - 3_600_000);
  cert.validity.notAfter = new Date(Date.now() + 24 * 3_600_000);
  cert.setSubject([{ name: 'commonName', value: subject }]);
  cert.setIssuer([{ name: 'commonName', value: issuer.name }]);
  cert.setExtensions(extensions);
  cert.sign(issuer.key, forge.md.sha256.create());
  return forge.pki.certificateToPem(cert);
}

/** A fresh CA and a certificate for 127.0.0.1 and localhost signed by it (and a client certificate with `client`). */
export function makeTestPki(options: { client?: boolean } = {}): TestPki {
  const ca = rsaKeys();
  const caName = `PassMan test CA ${randomBytes(4).toString('hex')}`;
  const caPem = certificate(caName, ca.publicKey, { name: caName, key: ca.privateKey }, [
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, critical: true },
  ]);
  const server = rsaKeys();
  const certPem = certificate('127.0.0.1', server.publicKey, { name: caName, key: ca.privateKey }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 7, ip: '127.0.0.1' },
        { type: 2, value: 'localhost' },
      ],
    },
  ]);
  if (!options.client) return { caPem, certPem, keyPem: server.keyPem };
  const client = rsaKeys();
  const clientPem = certificate('passman-test-client', client.publicKey, { name: caName, key: ca.privateKey }, [
    { name: 'basicConstraints', cA: false },
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
  return { caPem, certPem, keyPem: server.keyPem, client: { certPem: clientPem, keyPem: client.keyPem } };
}

export interface Slapd {
  /** ldap://127.0.0.1:<port> (StartTLS available). */
  url: string;
  /** ldaps://127.0.0.1:<port>. */
  ldapsUrl: string;
  pki: TestPki;
  baseDn: string;
  /** The directory's manager (rootdn), for tests to change entries. */
  rootDn: string;
  rootPassword: string;
  stop(): Promise<void>;
}

/**
 * A real OpenLDAP slapd with its own configuration and database in a temporary directory,
 * on free loopback ports (ldap:// with StartTLS, and ldaps://), loaded with `ldif` before it
 * starts. Anonymous users can only bind; bound users read everything but passwords.
 */
export async function startSlapd(options: { baseDn: string; ldif: string }): Promise<Slapd> {
  await ensureDebianPackages([
    { path: '/usr/sbin/slapd', pkg: 'slapd' },
    { path: '/usr/sbin/slapadd', pkg: 'slapd' },
  ]);
  const dir = mkdtempSync(join(tmpdir(), 'passman-slapd-'));
  mkdirSync(join(dir, 'db'));
  const pki = makeTestPki();
  writeFileSync(join(dir, 'ca.pem'), pki.caPem);
  writeFileSync(join(dir, 'cert.pem'), pki.certPem);
  writeFileSync(join(dir, 'key.pem'), pki.keyPem, { mode: 0o600 });
  const rootDn = `cn=manager,${options.baseDn}`;
  const rootPassword = randomBytes(12).toString('hex');
  const config = [
    'include /etc/ldap/schema/core.schema',
    'include /etc/ldap/schema/cosine.schema',
    'include /etc/ldap/schema/inetorgperson.schema',
    'include /etc/ldap/schema/nis.schema',
    // Like some directories in the field: an unauthenticated bind (a DN, no password) succeeds.
    'allow bind_anon_dn',
    'modulepath /usr/lib/ldap',
    'moduleload back_mdb',
    'moduleload memberof',
    `pidfile ${join(dir, 'slapd.pid')}`,
    `TLSCACertificateFile ${join(dir, 'ca.pem')}`,
    `TLSCertificateFile ${join(dir, 'cert.pem')}`,
    `TLSCertificateKeyFile ${join(dir, 'key.pem')}`,
    'database mdb',
    'maxsize 10485760',
    `suffix "${options.baseDn}"`,
    `rootdn "${rootDn}"`,
    `rootpw ${rootPassword}`,
    `directory ${join(dir, 'db')}`,
    // memberOf on user entries, as Active Directory has it (kept for groups added while slapd runs).
    'overlay memberof',
    'access to attrs=userPassword by self write by anonymous auth by * none',
    'access to * by users read by * none',
    '',
  ].join('\n');
  const configPath = join(dir, 'slapd.conf');
  writeFileSync(configPath, config);
  writeFileSync(join(dir, 'data.ldif'), options.ldif);
  const loaded = spawnSync('/usr/sbin/slapadd', ['-q', '-f', configPath, '-l', join(dir, 'data.ldif')], { encoding: 'utf8' });
  if (loaded.status !== 0) throw new Error(`slapadd failed: ${loaded.stderr}`);

  const port = await freePort();
  const ldapsPort = await freePort();
  const url = `ldap://127.0.0.1:${port}`;
  const ldapsUrl = `ldaps://127.0.0.1:${ldapsPort}`;
  let output = '';
  const child: ChildProcess = spawn('/usr/sbin/slapd', ['-d', '0', '-f', configPath, '-h', `${url}/ ${ldapsUrl}/`], { stdio: ['ignore', 'pipe', 'pipe'] });
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const deadline = Date.now() + 15_000;
    while (child.exitCode === null && !((await acceptsConnections(port)) && (await acceptsConnections(ldapsPort)))) {
      if (Date.now() > deadline) throw new Error(`slapd did not listen within 15 s: ${output}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    if (child.exitCode !== null) throw new Error(`slapd exited: ${output}`);
  } catch (err) {
    child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
    throw err;
  }
  return {
    url,
    ldapsUrl,
    pki,
    baseDn: options.baseDn,
    rootDn,
    rootPassword,
    async stop() {
      if (child.exitCode === null) {
        child.kill('SIGTERM');
        await exited;
      }
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
