import type { Server } from 'node:http';
import type { Socket } from 'node:net';
import { ERROR_STATUS } from '../lib/app-error.js';

/**
 * Requests Node's HTTP parser refuses before Express sees them (a request line or headers
 * over 16 KB, bytes that are not HTTP) get a problem+json answer like every other error,
 * instead of Node's bare one.
 */
export function answerClientErrors(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Socket) => {
    if (!socket.writable || error.code === 'ECONNRESET') {
      socket.destroy();
      return;
    }
    const tooLarge = error.code === 'HPE_HEADER_OVERFLOW';
    const code = tooLarge ? 'HEADERS_TOO_LARGE' : 'BAD_REQUEST';
    const status = ERROR_STATUS[code];
    const title = tooLarge ? 'Request Header Fields Too Large' : 'Bad Request';
    const body = JSON.stringify({
      type: `https://passman.dev/problems/${code.toLowerCase().replace(/_/g, '-')}`,
      title,
      status,
      code,
      detail: tooLarge ? 'The URL or the headers are larger than 16 KB' : 'The request is not valid HTTP',
    });
    socket.end(`HTTP/1.1 ${status} ${title}\r\nContent-Type: application/problem+json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`);
  });
}
