import { readFileSync } from 'node:fs';
import type { TLSSocket } from 'node:tls';
import { Agent, buildConnector } from 'undici';
import { TLS_FINGERPRINT_MISMATCH } from './errors.js';

export interface TlsOptions {
  /**
   * Trust exactly the certificate with this SHA-256 fingerprint, as PassMan prints it at start
   * (`SHA-256 fingerprint: AB:CD:…`); hex with or without colons, any case. The certificate is
   * checked before a byte of the request is sent; CAs and names are then not consulted, since
   * the pin names the very certificate.
   */
  fingerprint256?: string | undefined;
  /** CA certificates (PEM) to trust instead of the system's, e.g. the self-signed certificate itself. */
  ca?: string | Buffer | ReadonlyArray<string | Buffer> | undefined;
  /** A PEM file of CA certificates to trust (read once, when the client is made). */
  caFile?: string | undefined;
}

/** `ab:cd…`, `ABCD…`, `SHA256:AB:CD…` → `AB:CD:…` as Node's `fingerprint256` has it; throws on anything else. */
export function normalizeFingerprint256(value: string): string {
  const hex = value
    .trim()
    .replace(/^sha-?256[:=]?/i, '')
    .replace(/[:\s]/g, '')
    .toUpperCase();
  if (!/^[0-9A-F]{64}$/.test(hex)) throw new TypeError('tls.fingerprint256 must be a SHA-256 fingerprint: 64 hexadecimal digits, colons allowed');
  return hex.match(/../g)!.join(':');
}

function mismatch(): Error {
  return Object.assign(new Error('the server’s certificate does not have the pinned SHA-256 fingerprint'), { code: TLS_FINGERPRINT_MISMATCH });
}

/**
 * The undici dispatcher for the TLS options, or undefined for the system's trust store.
 *
 * A pin cannot be checked in `checkServerIdentity`: Node calls it only after the chain verified,
 * which a self-signed certificate never does. So the pinned connector accepts any chain and then
 * compares the leaf's fingerprint on `secureConnect`, before handing the socket to undici: a
 * wrong certificate never sees the request, its headers or its token.
 */
export function createDispatcher(tls: TlsOptions | undefined): Agent | undefined {
  if (!tls) return undefined;
  const ca = tls.caFile !== undefined ? readFileSync(tls.caFile) : tls.ca;
  const caOption = ca === undefined ? {} : { ca: (Array.isArray(ca) ? [...ca] : ca) as string | Buffer | Array<string | Buffer> };
  if (tls.fingerprint256 === undefined) return ca === undefined ? undefined : new Agent({ connect: caOption });

  const pinned = normalizeFingerprint256(tls.fingerprint256);
  // No TLS session resumption: a resumed session shows no peer certificate to compare, and
  // keep-alive already spares most handshakes.
  const base = buildConnector({ rejectUnauthorized: false, maxCachedSessions: 0 });
  const connect: buildConnector.connector = (options, callback) =>
    base(options, (error, socket) => {
      if (error || !socket) {
        callback(error ?? new Error('no socket'), null);
        return;
      }
      const peer = 'getPeerCertificate' in socket ? (socket as TLSSocket).getPeerCertificate() : undefined;
      if (!peer?.fingerprint256 || peer.fingerprint256.toUpperCase() !== pinned) {
        socket.destroy();
        callback(mismatch(), null);
        return;
      }
      callback(null, socket);
    });
  return new Agent({ connect });
}
