import { request } from 'node:https';
import { X509Certificate } from 'node:crypto';
import type { CustomFetch } from 'openid-client';

/** Largest answer read from the provider (discovery, keys, tokens, userinfo are all small). */
const MAX_RESPONSE_BYTES = 1024 * 1024;

/** The certificates of a PEM bundle, or the reason it is not one. */
export function parseCaBundle(pem: string): { ok: true; count: number } | { ok: false; reason: string } {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  if (blocks.length === 0) return { ok: false, reason: 'holds no PEM certificate (-----BEGIN CERTIFICATE-----)' };
  for (const block of blocks) {
    try {
      new X509Certificate(block);
    } catch {
      return { ok: false, reason: 'holds a certificate that cannot be read' };
    }
  }
  return { ok: true, count: blocks.length };
}

/**
 * fetch for openid-client that trusts `ca` (a PEM bundle) for https, in place of Node's own
 * roots: a provider behind a private CA, without NODE_EXTRA_CA_CERTS for the whole process.
 */
export function fetchTrusting(ca: string): CustomFetch {
  return async (url, options) => {
    const body = options.body instanceof URLSearchParams ? options.body.toString() : options.body;
    if (body !== undefined && body !== null && typeof body !== 'string' && !(body instanceof Uint8Array) && !(body instanceof ArrayBuffer)) {
      throw new TypeError('a streamed request body is not supported here');
    }
    const target = new URL(url);
    if (target.protocol !== 'https:') throw new TypeError('only https is sent with the configured CA');
    return new Promise<Response>((resolve, reject) => {
      const req = request(target, { method: options.method, headers: options.headers, ca, signal: options.signal }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > MAX_RESPONSE_BYTES) req.destroy(new Error('the provider answered with more than 1 MiB'));
          else chunks.push(chunk);
        });
        res.on('error', reject);
        res.on('end', () => {
          const headers = new Headers();
          for (const [name, value] of Object.entries(res.headers)) {
            for (const one of ([] as (string | undefined)[]).concat(value)) if (one !== undefined) headers.append(name, one);
          }
          const status = res.statusCode ?? 502;
          const noBody = status === 204 || status === 304;
          resolve(new Response(noBody ? null : Buffer.concat(chunks), { status, statusText: res.statusMessage, headers }));
        });
      });
      req.on('error', reject);
      req.end(body === undefined || body === null ? undefined : body instanceof ArrayBuffer ? Buffer.from(body) : body);
    });
  };
}
