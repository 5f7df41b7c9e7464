import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { gzipSync } from 'node:zlib';
import type { FuzzRequest } from './request-arbitrary.js';

/** The credentials the fuzzer acts with; requests name them (`auth`), this fills them in. */
export interface FuzzCredentials {
  bearer: string;
  cookie: string;
  csrf: string;
}

export interface FuzzResponse {
  status: number;
  headers: IncomingHttpHeaders;
  /** The body as received (for a stream: up to its first chunk). */
  text: string;
}

/** A stream answers with its headers and a first event at once; one that sends nothing by then is a failure, not a wait. */
const STREAM_DEADLINE_MS = 10_000;
const RESPONSE_DEADLINE_MS = 30_000;

/**
 * Sends one fuzz request over plain HTTP to the listening app and reads the answer. A 200
 * event stream is read up to its first chunk and then aborted, as a client that goes away.
 */
export function sendFuzzRequest(origin: URL, request: FuzzRequest, credentials: FuzzCredentials, clientIp: string): Promise<FuzzResponse> {
  const headers: Record<string, string> = { ...request.headers, 'X-Forwarded-For': clientIp };
  if (request.auth === 'bearer') headers.Authorization = `Bearer ${credentials.bearer}`;
  if (request.auth === 'forged-bearer') headers.Authorization = 'Bearer pm_forged_000000000000000000000000000000';
  if (request.auth === 'session' || request.auth === 'session-no-csrf') headers.Cookie = credentials.cookie;
  if (request.auth === 'session') headers['X-CSRF-Token'] = credentials.csrf;
  let payload: Buffer | undefined = request.body === undefined ? undefined : Buffer.from(request.body, 'utf8');
  if (payload && request.gzip) {
    payload = gzipSync(payload);
    headers['Content-Encoding'] = 'gzip';
  }
  if (payload) headers['Content-Length'] = String(payload.length);

  return new Promise((resolve, reject) => {
    // The path goes as generated (no URL normalisation), broken %-encodings included.
    const req = httpRequest({ host: origin.hostname, port: origin.port, path: request.url, method: request.method, headers });
    const deadline = setTimeout(
      () => req.destroy(new Error(`no ${request.stream ? 'first event' : 'response'} within the deadline`)),
      request.stream ? STREAM_DEADLINE_MS : RESPONSE_DEADLINE_MS,
    );
    req.on('error', (error) => {
      clearTimeout(deadline);
      reject(error);
    });
    req.on('response', (res) => {
      const chunks: Buffer[] = [];
      const done = () => {
        clearTimeout(deadline);
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') });
      };
      const streaming = res.statusCode === 200 && String(res.headers['content-type']).startsWith('text/event-stream');
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (streaming) {
          done();
          req.destroy();
        }
      });
      res.on('end', done);
      res.on('error', () => undefined); // aborting a stream ends it with an error; the answer is already in
    });
    req.end(payload);
  });
}
