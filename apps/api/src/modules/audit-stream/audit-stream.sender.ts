import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AuditEvent } from '@passman/contracts';
import type { Logger } from 'pino';
import { presentAuditEvent } from '../audit/audit.presenter.js';
import type { AuditStreamRepo, StreamStart } from './audit-stream.repo.js';

/** Somewhere audit events go: `send` resolves only once the destination has the whole batch. */
export interface StreamDestination {
  /** Names its cursor: stable across restarts. */
  name: string;
  kind: 'syslog' | 'json';
  /** Where it goes, for people: a URL, a path or `stdout` (never a secret). */
  target: string;
  send(events: AuditEvent[]): Promise<void>;
}

export interface AuditStreamOptions {
  /** Where a destination seen for the first time starts. */
  from: StreamStart;
  /** How often an idle destination looks for new events. */
  pollMs: number;
  batchSize: number;
  /** First retry after a failed batch; doubled per failure up to `backoffMaxMs`. */
  backoffBaseMs: number;
  backoffMaxMs: number;
  /** A lease longer than a batch can take (the syslog timeout), so it never lapses mid-send. */
  leaseMs: number;
}

export const DEFAULT_AUDIT_STREAM_OPTIONS: AuditStreamOptions = {
  from: 'start',
  pollMs: 1_000,
  batchSize: 500,
  backoffBaseMs: 1_000,
  backoffMaxMs: 60_000,
  leaseMs: 60_000,
};

export interface AuditStream {
  stop(): Promise<void>;
}

/**
 * The sender loop: per destination, the events after its cursor, in seq order, a batch at a time;
 * the cursor moves only after the destination took the batch, so an outage (or a crash) loses
 * nothing: the same batch is sent again, after a backoff, until it is taken. One process sends to
 * a destination at a time (a lease on its cursor); each destination goes at its own pace.
 */
export function startAuditStream(
  deps: { repo: AuditStreamRepo; destinations: StreamDestination[]; logger: Logger },
  options: Partial<AuditStreamOptions> = {},
): AuditStream {
  const opts = { ...DEFAULT_AUDIT_STREAM_OPTIONS, ...options };
  const owner = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
  let stopped = false;
  const wakers = new Set<() => void>();
  const pause = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        wakers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      wakers.add(done);
    });

  async function run(destination: StreamDestination): Promise<void> {
    const log = deps.logger.child({ auditStream: destination.name });
    let failures = 0;
    let ready = false;
    while (!stopped) {
      let delay = opts.pollMs;
      try {
        if (!ready) {
          await deps.repo.ensureCursor(destination.name, opts.from);
          ready = true;
        }
        const delivered = await deps.repo.claim(destination.name, owner, opts.leaseMs);
        if (delivered !== null) {
          const rows = await deps.repo.eventsAfter(delivered, opts.batchSize);
          if (rows.length > 0) {
            await destination.send(rows.map(presentAuditEvent));
            const last = rows.at(-1)!.seq;
            if (!(await deps.repo.advance(destination.name, owner, delivered, last))) {
              log.warn('the audit stream lease was lost during a batch: another process may have sent it too');
            } else if (rows.length === opts.batchSize) delay = 0;
            if (failures > 0) log.info({ after: failures }, 'the audit stream is delivering again');
            failures = 0;
          }
        }
      } catch (err) {
        failures += 1;
        delay = Math.min(opts.backoffMaxMs, opts.backoffBaseMs * 2 ** Math.min(failures - 1, 20));
        const message = err instanceof Error ? err.message : String(err);
        // The first failure of a run, then now and again: an outage must not flood the log.
        if (failures === 1 || failures % 10 === 0) log.warn({ err: { message }, failures, retryInMs: delay }, 'audit stream delivery failed');
        await deps.repo.recordFailure(destination.name, owner, message).catch(() => undefined);
      }
      if (!stopped && delay > 0) await pause(delay);
    }
    await deps.repo.release(destination.name, owner).catch(() => undefined);
  }

  const loops = deps.destinations.map((d) => run(d));
  return {
    async stop() {
      stopped = true;
      for (const wake of [...wakers]) wake();
      await Promise.all(loops);
    },
  };
}
