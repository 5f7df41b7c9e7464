import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { createSelfSignedCertificate } from '../../../../apps/api/src/tls/self-signed.js';

/** An HTTPS server on loopback with a self-signed certificate of its own, as a man in the middle would have; it records what reaches it. */
export async function startImpostor(): Promise<{ url: string; fingerprint256: string; requests: string[]; close(): Promise<void> }> {
  const { cert, key } = await createSelfSignedCertificate(['localhost', '127.0.0.1']);
  const requests: string[] = [];
  const server = createServer({ cert, key }, (req, res) => {
    requests.push(`${req.method} ${req.url}`);
    res.writeHead(401, { 'content-type': 'application/problem+json' });
    res.end(JSON.stringify({ type: 'about:blank', title: 'Unauthorized', status: 401, code: 'UNAUTHENTICATED' }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    fingerprint256: new X509Certificate(cert).fingerprint256,
    requests,
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
