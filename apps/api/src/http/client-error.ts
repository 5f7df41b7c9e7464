import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS } from '../lib/app-error.js';

/** What Node would answer (its default clientError handling), as a problem. */
function problemFor(error: NodeJS.ErrnoException): {
  code: 'HEADERS_TOO_LARGE' | 'REQUEST_TIMEOUT' | 'PAYLOAD_TOO_LARGE' | 'BAD_REQUEST';
  title: string;
  detail: string;
} {
  switch (error.code) {
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'HEADERS_TOO_LARGE', title: 'Request Header Fields Too Large', detail: 'The URL or the headers are larger than 16 KB' };
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return { code: 'REQUEST_TIMEOUT', title: 'Request Timeout', detail: 'The request did not arrive in time' };
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { code: 'PAYLOAD_TOO_LARGE', title: 'Content Too Large', detail: 'The chunk extensions are too large' };
    default:
      return { code: 'BAD_REQUEST', title: 'Bad Request', detail: 'The request is not valid HTTP' };
  }
}

/**
 * Requests Node's HTTP parser refuses before Express sees them (a request line or headers
 * over 16 KB, bytes that are not HTTP, a request too slow to arrive) get a problem+json answer
 * like every other error, with the status Node would give, instead of Node's bare one.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    // As Node does: answer only when no response has started on this connection.
    const inFlight = (socket as Socket & { _httpMessage?: { headersSent?: boolean } })._httpMessage;
    if (!socket.writable || error.code === 'ECONNRESET' || inFlight?.headersSent) {
      socket.destroy();
      return;
    }
    const { code, title, detail } = problemFor(error);
    const status = ERROR_STATUS[code];
    const body = JSON.stringify({ type: `https://passman.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`, title, status, code, detail });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}
