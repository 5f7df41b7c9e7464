import type { Response } from 'express';

export interface ChangeFeed<E> {
  /** Calls `listener` for every change; returns the function that stops listening. */
  on(listener: (event: E) => void): () => void;
  /**
   * Calls `listener` when changes may have been missed (the feed's database listener
   * reconnected): every stream renders again. Returns the function that stops listening.
   */
  onResync?(listener: () => void): () => void;
}

const RETRY_AFTER_FAILED_RENDER_MS = 2_000;

export interface ChangeStreamOptions<E, T> {
  /** The SSE event name of each frame. */
  event: string;
  matches: (e: E) => boolean;
  render: () => Promise<T>;
  /** The stream ends after the frame for which this is true. */
  finished: (value: T) => boolean;
  /** Asked before each render: false ends the stream (the session or token behind it has ended). */
  stillAllowed?: () => Promise<boolean>;
  /**
   * At most one render per this many ms: a batch of 1,000 jobs raises thousands of changes,
   * and each render is a database read. The last change is always rendered.
   */
  minIntervalMs?: number;
}

/**
 * Server-Sent Events: sends `render()` now and after every matching change, until `finished`.
 * Bursts of changes become one render; renders are sent in order; a failed render (say the
 * database restarting) is skipped, and the next change or resync tries again. A stream reads
 * the database only when its feed says something changed: no polling per stream, so idle
 * streams cost one shared LISTEN connection and a heartbeat.
 */
export function streamChanges<E, T>(res: Response, feed: ChangeFeed<E>, options: ChangeStreamOptions<E, T>): void {
  res.status(200).set({ 'Content-Type': 'text/event-stream', 'Cache-Control': 'no-store', Connection: 'keep-alive', 'X-Accel-Buffering': 'no' });
  res.flushHeaders();
  const minIntervalMs = options.minIntervalMs ?? 0;
  let closed = false;
  let pending = false;
  let lastRenderAt = 0;
  let sending: Promise<void> = Promise.resolve();
  let retry: NodeJS.Timeout | undefined;
  const send = (): void => {
    if (pending || closed) return;
    pending = true;
    sending = sending.then(async () => {
      const wait = lastRenderAt + minIntervalMs - Date.now();
      if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
      pending = false; // changes from here on need another render
      if (closed) return;
      lastRenderAt = Date.now();
      try {
        if (options.stillAllowed && !(await options.stillAllowed())) {
          finish();
          return;
        }
        const value = await options.render();
        if (closed) return;
        res.write(`event: ${options.event}\ndata: ${JSON.stringify(value)}\n\n`);
        if (options.finished(value)) finish();
      } catch {
        // Nothing sent: try again shortly (a change or a resync may come sooner).
        clearTimeout(retry);
        if (!closed) retry = setTimeout(send, RETRY_AFTER_FAILED_RENDER_MS);
      }
    });
  };
  const off = feed.on((e) => {
    if (options.matches(e)) send();
  });
  const offResync = feed.onResync?.(send);
  const heartbeat = setInterval(() => res.write(': keep-alive\n\n'), 15_000);
  function finish(): void {
    if (closed) return;
    closed = true;
    off();
    offResync?.();
    clearTimeout(retry);
    clearInterval(heartbeat);
    res.end();
  }
  res.on('close', finish);
  send();
}
