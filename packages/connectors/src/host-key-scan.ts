import { connect as netConnect } from 'node:net';
import ssh2 from 'ssh2';
import { ConnectorError } from './connector-error.js';
import { describeHostKey } from './host-key.js';
import { closedBeforeReady, mapSsh2Error, type Ssh2Error } from './ssh2-error-map.js';
import type { HostKeyInfo } from './target-connector.js';

export interface ScanParams {
  host: string;
  port: number;
  readyTimeoutMs: number;
  signal: AbortSignal;
}

/**
 * Reads the host key a target offers in its key exchange and hangs up right there: the
 * verifier records the key and says no, so the connection ends before any authentication.
 */
export function scanHostKey(params: ScanParams): Promise<HostKeyInfo> {
  return new Promise<HostKeyInfo>((resolve, reject) => {
    const client = new ssh2.Client();
    const sock = netConnect({ host: params.host, port: params.port, noDelay: true });
    let presented: HostKeyInfo | undefined;
    let settled = false;
    const finish = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      params.signal.removeEventListener('abort', onAbort);
      client.destroy();
      sock.destroy();
      fn();
    };
    function onAbort(): void {
      finish(() =>
        reject(params.signal.reason instanceof ConnectorError ? params.signal.reason : new ConnectorError('CANCELLED', 'the operation was cancelled')),
      );
    }
    if (params.signal.aborted) return onAbort();
    params.signal.addEventListener('abort', onAbort, { once: true });
    client.on('error', (err: Ssh2Error) => {
      if (presented) finish(() => resolve(presented!));
      else finish(() => reject(mapSsh2Error(err, { sock, ready: false })));
    });
    client.on('close', () => {
      if (presented) finish(() => resolve(presented!));
      else finish(() => reject(closedBeforeReady(sock)));
    });
    client.on('ready', () => finish(() => reject(new ConnectorError('PROTOCOL_ERROR', 'the target let an unauthenticated client in'))));
    client.connect({
      sock,
      username: 'passman-host-key-scan',
      authHandler: [],
      readyTimeout: params.readyTimeoutMs,
      hostVerifier: (key: Buffer) => {
        presented = describeHostKey(key);
        return false;
      },
    });
  });
}
