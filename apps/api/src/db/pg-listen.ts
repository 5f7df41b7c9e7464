import pg from 'pg';

export interface PgListenOptions {
  databaseUrl: string;
  /** A channel name of our own (a constant: it goes into the LISTEN statement as it is). */
  channel: string;
  applicationName: string;
  onNotification(payload: string | undefined): void;
  /** After a lost connection was made again: notifications may have been missed meanwhile. */
  onReconnected(): void;
  /** 'fail' (default): the first connection must succeed; 'retry': keep trying in the background, like after a loss. */
  firstConnection?: 'fail' | 'retry';
}

export interface PgListen {
  /** The LISTEN connection's server process id; null while it is being made again. */
  backendPid(): number | null;
  reconnects(): number;
  stop(): Promise<void>;
}

/**
 * One LISTEN connection kept alive: after an error it is made again every second until
 * PostgreSQL answers (a restart takes a few seconds), then `onReconnected` runs.
 */
export async function listenWithReconnect(options: PgListenOptions): Promise<PgListen> {
  let client: pg.Client | null = null;
  let stopped = false;
  let reconnects = 0;
  let retry: NodeJS.Timeout | undefined;

  const connect = async (): Promise<void> => {
    if (stopped) return;
    const next = new pg.Client({ connectionString: options.databaseUrl, application_name: options.applicationName });
    next.on('notification', (msg) => {
      if (msg.channel === options.channel) options.onNotification(msg.payload);
    });
    next.on('error', () => {
      if (client === next) reconnect();
    });
    try {
      await next.connect();
      await next.query(`LISTEN ${options.channel}`);
    } catch (error) {
      await next.end().catch(() => undefined);
      throw error;
    }
    // Stopped while connecting: this connection must not outlive its listener.
    if (stopped) {
      await next.end().catch(() => undefined);
      return;
    }
    client = next;
  };
  const reconnect = (): void => {
    client = null;
    if (stopped) return;
    retry = setTimeout(() => {
      connect()
        .then(() => {
          if (!client) return;
          reconnects += 1;
          options.onReconnected();
        })
        .catch(reconnect);
    }, 1000).unref();
  };
  if (options.firstConnection === 'retry') await connect().catch(reconnect);
  else await connect();

  return {
    backendPid: () => (client as (pg.Client & { processID?: number }) | null)?.processID ?? null,
    reconnects: () => reconnects,
    async stop() {
      stopped = true;
      clearTimeout(retry);
      await client?.end().catch(() => undefined);
    },
  };
}
