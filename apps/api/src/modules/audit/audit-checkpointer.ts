import type { Logger } from 'pino';
import type { AuditService } from './audit.service.js';

export interface CheckpointOptions {
  /** A checkpoint once the chain has grown by this many events since the last one… */
  everyEvents: number;
  /** …or once it has moved and the last one is this old. */
  everyMs: number;
  /** How often to look (a read of two one-row tables). */
  tickMs: number;
}

/** Whether the head should be copied into a checkpoint now. */
export function checkpointDue(
  state: Awaited<ReturnType<AuditService['chainState']>>,
  options: Pick<CheckpointOptions, 'everyEvents' | 'everyMs'>,
  now: Date,
): boolean {
  const { head, checkpoint } = state;
  if (!head || head.count === 0n) return false;
  if (!checkpoint) return true;
  if (head.seq === checkpoint.seq) return false;
  return head.count - checkpoint.count >= BigInt(options.everyEvents) || now.getTime() - checkpoint.at.getTime() >= options.everyMs;
}

/**
 * Writes checkpoints of the audit chain's head as it grows (every process that runs one may:
 * a checkpoint of a head already copied is skipped). Each is also a log line, so a log shipper
 * keeps a copy of the chain's progress outside the database.
 */
export function startAuditCheckpointer(deps: { audit: AuditService; logger: Logger; now?: () => Date }, options: CheckpointOptions) {
  const now = deps.now ?? (() => new Date());
  let running: Promise<unknown> | undefined;
  const tick = async () => {
    if (checkpointDue(await deps.audit.chainState(), options, now())) await deps.audit.checkpoint();
  };
  const timer = setInterval(() => {
    running ??= tick()
      .catch((err: unknown) => deps.logger.warn({ err }, 'audit checkpoint failed; the next tick tries again'))
      .finally(() => (running = undefined));
  }, options.tickMs);
  timer.unref();
  return {
    tick,
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}

export type AuditCheckpointer = ReturnType<typeof startAuditCheckpointer>;
