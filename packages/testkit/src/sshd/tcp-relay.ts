import { connect, createServer, type Server, type Socket } from 'node:net';

export interface TcpRelay {
  readonly host: string;
  readonly port: number;
  /** The link goes down: open connections are cut and new ones refused, until `resume`. */
  pause(): Promise<void>;
  /** The link is back, at the same address. */
  resume(): Promise<void>;
  close(): Promise<void>;
}

/**
 * A loopback TCP relay to a real server (an sshd target): clients reach the target through
 * it, and a test can take the network away and give it back at a moment of its choosing —
 * something stopping the target itself cannot do without losing its users and host keys.
 */
export async function startTcpRelay(to: { host: string; port: number }, host = '127.0.0.1'): Promise<TcpRelay> {
  const sockets = new Set<Socket>();
  const track = (socket: Socket) => {
    sockets.add(socket);
    socket.on('error', () => {
      /* a cut link resets the other side: expected */
    });
    socket.on('close', () => sockets.delete(socket));
  };
  let server: Server | undefined;
  let port = 0;

  const listen = async () => {
    const next = createServer((client) => {
      const upstream = connect(to);
      track(client);
      track(upstream);
      client.pipe(upstream).pipe(client);
      client.on('close', () => upstream.destroy());
      upstream.on('close', () => client.destroy());
    });
    await new Promise<void>((resolve, reject) => {
      next.once('error', reject);
      next.listen(port, host, () => resolve());
    });
    const address = next.address();
    if (address === null || typeof address === 'string') throw new Error('the relay has no TCP address');
    port = address.port;
    server = next;
  };
  const stop = async () => {
    const current = server;
    server = undefined;
    for (const socket of sockets) socket.destroy();
    if (current) await new Promise<void>((resolve) => current.close(() => resolve()));
  };

  await listen();
  return {
    host,
    get port() {
      return port;
    },
    pause: stop,
    async resume() {
      if (!server) await listen();
    },
    close: stop,
  };
}
