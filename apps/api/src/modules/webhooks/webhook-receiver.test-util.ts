import { once } from 'node:events';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WEBHOOK_SIGNATURE_HEADER, WEBHOOK_TIMESTAMP_HEADER } from '@passman/contracts';
import { verifyWebhook } from './webhook-signature.js';

export interface ReceivedEvent {
  /** The request's path and query, as sent. */
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The signature checked as a receiver would, with the secret it was given. */
  signatureValid: boolean;
  event: { id: string; type: string; alert?: { id: string; rule: string; state: string; object: { id: string } } };
  status: number;
}

/**
 * A webhook receiver on 127.0.0.1, as an integrator would run one: it checks every request's
 * signature with the secret it was told, records what came, and answers the statuses queued in
 * `answers` (then 200).
 */
export async function startWebhookReceiver() {
  const received: ReceivedEvent[] = [];
  const answers: number[] = [];
  let secret = '';
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks).toString('utf8');
      const signatureValid = verifyWebhook(
        secret,
        { timestamp: req.headers[WEBHOOK_TIMESTAMP_HEADER.toLowerCase()] as string, signature: req.headers[WEBHOOK_SIGNATURE_HEADER.toLowerCase()] as string },
        body,
      );
      const status = answers.shift() ?? 200;
      received.push({ path: req.url ?? '', headers: req.headers, body, signatureValid, event: JSON.parse(body) as ReceivedEvent['event'], status });
      res.writeHead(status).end();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/hooks/passman`,
    received,
    answers,
    useSecret: (value: string) => (secret = value),
    /** What came about one alert, in order. */
    about: (alertId: string) => received.filter((r) => r.event.alert?.id === alertId),
    close: async () => {
      server.closeAllConnections();
      server.close();
      await once(server, 'close');
    },
  };
}
export type WebhookReceiver = Awaited<ReturnType<typeof startWebhookReceiver>>;
