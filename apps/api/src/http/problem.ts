import type { ErrorRequestHandler, Request, RequestHandler } from 'express';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../db/database-unavailable.js';
import { isRetryableTransactionError } from '../db/pg-errors.js';
import { AppError } from '../lib/app-error.js';

const TITLES: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  408: 'Request Timeout',
  409: 'Conflict',
  413: 'Content Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Content',
  429: 'Too Many Requests',
  431: 'Request Header Fields Too Large',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
};

interface HttpLayerError {
  type?: unknown;
  status?: unknown;
  statusCode?: unknown;
}

/**
 * Errors of Express's own layers that a client caused: body-parser's (they carry a `type`, or
 * none when the body could not be inflated), the router's for a path parameter whose
 * %-encoding is broken (a URIError with status 400), and any other http-errors 4xx. None of
 * their messages is echoed: they quote the client's bytes.
 */
function fromHttpLayer(error: unknown, req: Request): AppError | null {
  if (!error || typeof error !== 'object') return null;
  const { type, status: rawStatus, statusCode } = error as HttpLayerError;
  if (type === 'entity.parse.failed') return new AppError('BAD_JSON', 'The request body is not valid JSON');
  if (type === 'entity.too.large') return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (type === 'charset.unsupported' || type === 'encoding.unsupported')
    return new AppError('UNSUPPORTED_MEDIA_TYPE', 'Send JSON encoded as UTF-8, uncompressed or with gzip, deflate or br');
  const status = typeof rawStatus === 'number' ? rawStatus : statusCode;
  if (typeof status !== 'number' || status < 400 || status > 499) return null;
  if (error instanceof URIError) return new AppError('BAD_URL_ENCODING', 'The URL has a malformed %-encoding');
  if (status === 413) return new AppError('PAYLOAD_TOO_LARGE', 'The request body is too large');
  if (status === 415) return new AppError('UNSUPPORTED_MEDIA_TYPE', 'This media type is not accepted here');
  const encoding = req.get('content-encoding');
  if (type === undefined && encoding && encoding.toLowerCase() !== 'identity') {
    return new AppError('BAD_CONTENT_ENCODING', 'The request body could not be decompressed as its Content-Encoding says');
  }
  return new AppError('BAD_REQUEST', 'The request could not be read');
}

/**
 * The client went away before its request was read (closed the tab, cancelled an upload, lost
 * the network): body-parser reports `request.aborted`, or the socket's own reset. Nothing is
 * wrong on our side and nobody is left to answer.
 */
function isClientAbort(error: unknown, req: Request): boolean {
  const { type, code } = (error ?? {}) as { type?: string; code?: string };
  if (type === 'request.aborted') return true;
  const gone = req.readableAborted || req.destroyed || req.socket?.destroyed === true;
  return gone && (type === 'stream.not.readable' || code === 'ECONNRESET' || code === 'ECONNABORTED' || code === 'EPIPE');
}

/** PostgreSQL down or restarting: the client may try again shortly; nothing was half-written (transactions). */
function fromDatabaseOutage(error: unknown): AppError | null {
  if (!isDatabaseUnavailable(error)) return null;
  return new AppError('DATABASE_UNAVAILABLE', 'The database is unavailable at the moment; try again shortly', { headers: { 'Retry-After': '5' } });
}

/** A deadlock or serialization failure outside runInTransaction (a lone statement): the client may simply try again. */
function fromCollision(error: unknown): AppError | null {
  if (!isRetryableTransactionError(error)) return null;
  return new AppError('UNAVAILABLE', 'The request collided with others; try again', { headers: { 'Retry-After': '1' } });
}

/** Renders every error as RFC 9457 problem+json. Unknown errors become a bare 500 — no stack, no message. */
export function problemHandler(logger: Logger): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (isClientAbort(error, req)) {
      logger.info({ requestId: req.ctx?.requestId }, 'client aborted the request');
      return;
    }
    const appError = error instanceof AppError ? error : (fromHttpLayer(error, req) ?? fromDatabaseOutage(error) ?? fromCollision(error));
    const requestId = req.ctx?.requestId;
    if (!appError) logger.error({ err: error, requestId }, 'unhandled error');
    else if (appError.code === 'DATABASE_UNAVAILABLE') logger.warn({ requestId }, 'database unavailable');
    const status = appError?.status ?? 500;
    const body = {
      type: `https://passman.dev/problems/${(appError?.code ?? 'INTERNAL').toLowerCase().replace(/_/g, '-')}`,
      title: TITLES[status] ?? 'Error',
      status,
      code: appError?.code ?? 'INTERNAL',
      detail: appError?.message ?? 'Something went wrong on our side; the request id identifies it in the logs',
      instance: req.originalUrl.split('?')[0],
      requestId,
      ...(appError?.options.errors ? { errors: appError.options.errors } : {}),
      ...(appError?.options.details ?? {}),
    };
    if (res.headersSent) return;
    for (const [name, value] of Object.entries(appError?.options.headers ?? {})) res.setHeader(name, value);
    res.status(status).type('application/problem+json').send(JSON.stringify(body));
  };
}

export const routeNotFound: RequestHandler = (req) => {
  throw new AppError('ROUTE_NOT_FOUND', `No route ${req.method} ${req.path}`);
};
