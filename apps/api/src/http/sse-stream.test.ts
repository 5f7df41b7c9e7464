import { EventEmitter } from 'node:events';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'express';
import { streamChanges, type ChangeFeed } from './sse-stream.js';

/** Just enough of an Express response to collect what a stream writes. */
function fakeResponse() {
  const emitter = new EventEmitter();
  const frames: unknown[] = [];
  let heartbeats = 0;
  let ended = false;
  const res = {
    status: () => res,
    set: () => res,
    flushHeaders: () => undefined,
    write: (chunk: string) => {
      const data = /^data: (.*)$/m.exec(chunk);
      if (data) frames.push(JSON.parse(data[1]!));
      if (chunk.startsWith(':')) heartbeats += 1;
      return true;
    },
    end: () => {
      ended = true;
    },
    on: (event: string, listener: () => void) => emitter.on(event, listener),
  };
  return { res: res as unknown as Response, frames, heartbeats: () => heartbeats, ended: () => ended, close: () => emitter.emit('close') };
}

function feed(): ChangeFeed<string> & { emit(e: string): void; resync(): void; listeners(): number } {
  const emitter = new EventEmitter();
  return {
    on: (listener) => {
      emitter.on('change', listener);
      return () => emitter.off('change', listener);
    },
    onResync: (listener) => {
      emitter.on('resync', listener);
      return () => emitter.off('resync', listener);
    },
    emit: (e) => emitter.emit('change', e),
    resync: () => emitter.emit('resync'),
    listeners: () => emitter.listenerCount('change') + emitter.listenerCount('resync'),
  };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('streamChanges', () => {
  it('renders at most once per minIntervalMs however many changes arrive, and always renders the last state', async () => {
    const changes = feed();
    const out = fakeResponse();
    let state = 0;
    let renders = 0;
    streamChanges(out.res, changes, {
      event: 'batch',
      matches: (e) => e === 'mine',
      render: async () => {
        renders += 1;
        return { state };
      },
      finished: (v) => v.state === 500,
      minIntervalMs: 100,
    });
    const started = Date.now();
    for (let i = 1; i <= 500; i += 1) {
      state = i;
      changes.emit('mine');
      changes.emit('other'); // not ours: never rendered for
      if (i % 50 === 0) await sleep(20);
    }
    const emittingMs = Date.now() - started;
    for (let waited = 0; !out.ended() && waited < 2_000; waited += 20) await sleep(20);
    expect(out.ended()).toBe(true);
    expect(out.frames.at(-1)).toEqual({ state: 500 });
    // One render per 100 ms of changes (plus the first and the last), not one per burst.
    expect(renders).toBeLessThanOrEqual(Math.floor(emittingMs / 100) + 2);
  });

  it('skips a failed render and sends the next one', async () => {
    const changes = feed();
    const out = fakeResponse();
    let fail = true;
    streamChanges(out.res, changes, {
      event: 'job',
      matches: () => true,
      render: async () => {
        if (fail) throw new Error('database restarting');
        return { ok: true };
      },
      finished: () => false,
    });
    await sleep(10);
    expect(out.frames).toEqual([]);
    fail = false;
    changes.emit('x');
    await sleep(10);
    expect(out.frames).toEqual([{ ok: true }]);
    out.close();
    expect(out.ended()).toBe(true);
  });
});

describe('streamChanges while nothing changes', () => {
  const open: (() => void)[] = [];
  afterEach(() => {
    for (const close of open.splice(0)) close();
    jest.useRealTimers();
  });

  it('reads nothing: one render when it opens, then only heartbeats (no polling per stream)', async () => {
    jest.useFakeTimers();
    const changes = feed();
    const out = fakeResponse();
    open.push(out.close);
    let renders = 0;
    streamChanges(out.res, changes, {
      event: 'job',
      matches: () => true,
      render: async () => {
        renders += 1;
        return { renders };
      },
      finished: () => false,
    });
    await jest.advanceTimersByTimeAsync(10 * 60_000);
    expect(renders).toBe(1);
    expect(out.heartbeats()).toBeGreaterThanOrEqual(30);
    out.close();
    expect(changes.listeners()).toBe(0);
  });

  it('renders again when the feed resyncs (its database listener reconnected and may have missed changes)', async () => {
    const changes = feed();
    const out = fakeResponse();
    open.push(out.close);
    let renders = 0;
    streamChanges(out.res, changes, {
      event: 'job',
      matches: () => false,
      render: async () => {
        renders += 1;
        return { renders };
      },
      finished: () => false,
    });
    await sleep(10);
    expect(out.frames).toEqual([{ renders: 1 }]);
    changes.resync();
    await sleep(10);
    expect(out.frames).toEqual([{ renders: 1 }, { renders: 2 }]);
    out.close();
  });
});
