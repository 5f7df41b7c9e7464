import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { freePort } from '@passman/testkit';
import { DEFAULT_HTTP_SERVER_SETTINGS } from '../../../../apps/api/src/http/http-server.js';
import { createLogger } from '../../../../apps/api/src/lib/logger.js';
import { startListeners } from '../../../../apps/api/src/listeners.js';
import { createTestApi, type TestApi } from '../../../../apps/api/src/test/harness.js';
import { loadTlsCredentials, tlsSource } from '../../../../apps/api/src/tls/tls-credentials.js';

export interface PassmanOverHttps {
  /** https://127.0.0.1:<port> */
  url: string;
  /** The SHA-256 fingerprint as PassMan printed it at start. */
  fingerprint256: string;
  /** The self-signed certificate (PEM), for trusting it as a CA. */
  certificate: string;
  certificateFile: string;
  api: TestApi;
  close(): Promise<void>;
}

/**
 * The API with its job worker, served the way `npm start` serves it: PassMan's own listener
 * (listeners.ts) over HTTPS with the self-signed certificate PassMan makes on first start, on a
 * loopback port. The fingerprint is read from what the listener prints for the operator.
 */
export async function startPassmanOverHttps(): Promise<PassmanOverHttps> {
  const api = await createTestApi();
  api.startWorker({ leaseMs: 5_000 });
  const dir = mkdtempSync(join(tmpdir(), 'passman-sdk-tls-'));
  try {
    const source = tlsSource({ dataDir: dir, listenHost: '127.0.0.1', extraNames: [] });
    const initial = await loadTlsCredentials(source);
    const port = await freePort();
    let printed = '';
    const listeners = await startListeners({
      app: api.app,
      host: '127.0.0.1',
      port,
      http: DEFAULT_HTTP_SERVER_SETTINGS,
      tls: { source, initial },
      logger: createLogger({ level: 'warn', destination: new Writable({ write: (_chunk, _encoding, done) => done() }) }),
      print: (text) => {
        printed += text;
      },
    });
    const fingerprint256 = /SHA-256 fingerprint: ([0-9A-F:]+)/.exec(printed)?.[1];
    if (!fingerprint256) throw new Error(`PassMan printed no fingerprint:\n${printed}`);
    return {
      url: listeners.url,
      fingerprint256,
      certificate: initial.cert,
      certificateFile: initial.certPath,
      api,
      async close() {
        listeners.close();
        await api.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await api.close();
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
}
