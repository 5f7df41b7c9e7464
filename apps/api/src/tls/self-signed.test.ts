import { X509Certificate, createPrivateKey } from 'node:crypto';
import { once } from 'node:events';
import { chmodSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { connect, createServer, type TLSSocket } from 'node:tls';
import { afterAll, describe, expect, it } from '@jest/globals';
import { certificateNames, ensureSelfSignedCertificate } from './self-signed.js';

const dirs: string[] = [];
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'passman-tls-'));
  dirs.push(dir);
  return dir;
};
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const DAY = 86_400_000;
const NAMES = ['localhost', '127.0.0.1', '::1', 'vault.example.test'];
const mode = (path: string) => statSync(path).mode & 0o777;

describe('the self-signed certificate', () => {
  it('is made on first start for every name, valid about a year, its key and certificate in files of mode 0600', async () => {
    const dir = tempDir();
    const now = new Date('2026-03-01T12:00:00.000Z');
    const made = await ensureSelfSignedCertificate({ dir, names: NAMES, now });
    expect(made.created).toBe(true);
    expect(mode(made.certPath)).toBe(0o600);
    expect(mode(made.keyPath)).toBe(0o600);

    const x509 = new X509Certificate(made.cert);
    expect(made.fingerprint256).toBe(x509.fingerprint256);
    expect(made.fingerprint256).toMatch(/^([0-9A-F]{2}:){31}[0-9A-F]{2}$/);
    expect(x509.checkHost('localhost', { subject: 'never' })).toBe('localhost');
    expect(x509.checkHost('vault.example.test', { subject: 'never' })).toBe('vault.example.test');
    expect(x509.checkIP('127.0.0.1')).toBe('127.0.0.1');
    expect(x509.checkIP('::1')).toBe('::1');
    expect(x509.checkHost('elsewhere.example.test', { subject: 'never' })).toBeUndefined();
    expect(x509.ca).toBe(false);
    expect(x509.checkPrivateKey(createPrivateKey(made.key))).toBe(true);
    expect(x509.verify(x509.publicKey)).toBe(true);
    // 365 days from its making (browsers refuse server certificates valid over 398 days), from
    // five minutes before it, for clocks a little behind.
    expect(Date.parse(x509.validTo)).toBe(now.getTime() + 365 * DAY);
    expect(Date.parse(x509.validFrom)).toBe(now.getTime() - 5 * 60_000);
  });

  it('is kept across starts, and tightened to 0600 if someone loosened its files', async () => {
    const dir = tempDir();
    const first = await ensureSelfSignedCertificate({ dir, names: NAMES });
    chmodSync(first.keyPath, 0o644);
    const again = await ensureSelfSignedCertificate({ dir, names: NAMES });
    expect(again.created).toBe(false);
    expect(again.fingerprint256).toBe(first.fingerprint256);
    expect(mode(again.keyPath)).toBe(0o600);
  });

  it('is made anew when a name it must hold is missing, when it nears its end, or when its files do not match', async () => {
    const dir = tempDir();
    const first = await ensureSelfSignedCertificate({ dir, names: NAMES });
    const renamed = await ensureSelfSignedCertificate({ dir, names: [...NAMES, 'new-name.example.test'] });
    expect(renamed).toMatchObject({ created: true, reason: 'names' });
    expect(renamed.fingerprint256).not.toBe(first.fingerprint256);
    expect(new X509Certificate(renamed.cert).checkHost('new-name.example.test', { subject: 'never' })).toBe('new-name.example.test');

    const later = await ensureSelfSignedCertificate({ dir, names: NAMES, now: new Date(Date.now() + 350 * DAY) });
    expect(later).toMatchObject({ created: true, reason: 'expiring' });

    writeFileSync(later.keyPath, first.key, { mode: 0o600 });
    expect(await ensureSelfSignedCertificate({ dir, names: NAMES })).toMatchObject({ created: true, reason: 'key-mismatch' });

    writeFileSync(later.certPath, 'not a certificate', { mode: 0o600 });
    expect(await ensureSelfSignedCertificate({ dir, names: NAMES })).toMatchObject({ created: true, reason: 'unreadable' });
  });

  it('is accepted by a TLS client that trusts it, for localhost and 127.0.0.1', async () => {
    const made = await ensureSelfSignedCertificate({ dir: tempDir(), names: NAMES });
    const server = createServer({ cert: made.cert, key: made.key }, (socket) => socket.end('hello'));
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const port = (server.address() as AddressInfo).port;
    try {
      for (const servername of ['localhost', undefined]) {
        const socket: TLSSocket = connect({ host: '127.0.0.1', port, ca: made.cert, ...(servername ? { servername } : {}) });
        await once(socket, 'secureConnect');
        expect(socket.authorized).toBe(true);
        expect(socket.getPeerCertificate().fingerprint256).toBe(made.fingerprint256);
        socket.destroy();
      }
    } finally {
      server.close();
    }
  });
});

describe('certificateNames', () => {
  it('always holds the loopback names, the listening address and the extra names', () => {
    expect(certificateNames('10.1.2.3', ['vault.example.test'])).toEqual(['localhost', '127.0.0.1', '::1', '10.1.2.3', 'vault.example.test']);
  });

  it('uses the machine name instead of a wildcard listening address', () => {
    expect(certificateNames('0.0.0.0', [])).toEqual([...new Set(['localhost', '127.0.0.1', '::1', hostname().toLowerCase()])]);
    expect(certificateNames('::', ['::1'])).not.toContain('::');
  });
});
