import { once } from 'node:events';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { AddressInfo } from 'node:net';

/** What the balancer answers itself instead of forwarding: a status and headers, once per rule. */
export interface Refusal {
  /** Which requests it applies to. */
  matches: (method: string, path: string) => boolean;
  status: number;
  headers?: Record<string, string>;
  /** How many matching requests it refuses before forwarding them again (default 1). */
  times?: number;
}

export interface Balancer {
  /** http://127.0.0.1:<port>: a loopback address, where the SDK allows plain HTTP. */
  url: string;
  /** Every request it received, forwarded or not. */
  seen: { method: string; path: string; answered: number }[];
  refuse(refusal: Refusal): void;
  close(): Promise<void>;
}

/**
 * A tiny load balancer on 127.0.0.1 in front of PassMan: it forwards each request over HTTPS
 * (trusting PassMan's certificate), streams the answer back, and answers 503/429 itself when a
 * test tells it to, as a balancer does while a backend restarts or a limit is reached.
 */
export async function startBalancer(upstream: { url: string; certificate: string }): Promise<Balancer> {
  const refusals: (Refusal & { left: number })[] = [];
  const seen: Balancer['seen'] = [];
  const target = new URL(upstream.url);

  const forward = (req: IncomingMessage, res: ServerResponse, path: string) => {
    const headers = { ...req.headers, host: target.host };
    const out = httpsRequest(
      { host: target.hostname, port: target.port, method: req.method, path, headers, ca: upstream.certificate, servername: 'localhost' },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => {
      if (!res.headersSent) res.writeHead(502);
      res.end();
    });
    req.pipe(out);
  };

  const server = createServer((req, res) => {
    const method = req.method ?? 'GET';
    const path = req.url ?? '/';
    const pathname = path.split('?')[0]!;
    const refusal = refusals.find((r) => r.left > 0 && r.matches(method, pathname));
    if (refusal) {
      refusal.left -= 1;
      seen.push({ method, path, answered: refusal.status });
      req.resume();
      res.writeHead(refusal.status, { 'content-type': 'text/plain', ...refusal.headers });
      res.end('refused by the balancer\n');
      return;
    }
    seen.push({ method, path, answered: 0 });
    forward(req, res, path);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    refuse: (refusal) => refusals.push({ ...refusal, left: refusal.times ?? 1 }),
    async close() {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
