import { EventEmitter, once } from 'node:events';
import { afterEach, describe, expect, it, jest } from '@jest/globals';
import type { Response } from 'express';
import { streamChanges, type ChangeFeed } from './sse-stream.js';

/**
 * Just enough of an Express response to collect what a stream writes. It emits 'frame' for
 * every data frame and 'end' when the stream ends, so tests wait on those instead of sleeping.
 */
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
      if (data) {
        frames.push(JSON.parse(data[1]!));
        emitter.emit('frame', frames.at(-1));
      }
      if (chunk.startsWith(':')) heartbeats += 1;
      return true;
    },
    end: () => {
      ended = true;
      emitter.emit('end');
    },
    on: (event: string, listener: () => void) => emitter.on(event, listener),
  };
  return {
    res: res as unknown as Response,
    frames,
    heartbeats: () => heartbeats,
    ended: () => ended,
    close: () => emitter.emit('close'),
    /** Resolves with the next data frame written. */
    nextFrame: async () => (await once(emitter, 'frame'))[0] as unknown,
    /** Resolves once the stream has ended. */
    whenEnded: async () => {
      if (!ended) await once(emitter, 'end');
    },
  };
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

const open: (() => void)[] = [];
afterEach(() => {
  for (const close of open.splice(0)) close();
  jest.useRealTimers();
});

describe('streamChanges', () => {
  it('renders at most once per minIntervalMs however many changes arrive, and always renders the last state', async () => {
    // A fake clock: the throttle's waits and the render times are exact, not measured.
    jest.useFakeTimers({ now: new Date('2026-01-01T00:00:00.000Z') });
    const t0 = Date.now();
    const changes = feed();
    const out = fakeResponse();
    open.push(out.close);
    let state = 0;
    const renderedAt: number[] = [];
    streamChanges(out.res, changes, {
      event: 'batch',
      matches: (e) => e === 'mine',
      render: async () => {
        renderedAt.push(Date.now() - t0);
        return { state };
      },
      finished: (v) => v.state === 500,
      minIntervalMs: 100,
    });
    // 500 changes in bursts of 50, one burst every 20 ms: 200 ms of changes.
    for (let i = 1; i <= 500; i += 1) {
      state = i;
      changes.emit('mine');
      changes.emit('other'); // not ours: never rendered for
      if (i % 50 === 0) await jest.advanceTimersByTimeAsync(20);
    }
    await jest.advanceTimersByTimeAsync(1_000);
    expect(out.ended()).toBe(true);
    expect(out.frames.at(-1)).toEqual({ state: 500 });
    // One render when the stream opens, then one per 100 ms while changes keep coming; without
    // the throttle there would be one per burst (ten or more).
    expect(renderedAt).toEqual([0, 100, 200]);
    expect(out.frames).toHaveLength(renderedAt.length);
  });

  it('never renders for changes that do not match', async () => {
    jest.useFakeTimers();
    const changes = feed();
    const out = fakeResponse();
    open.push(out.close);
    let renders = 0;
    streamChanges(out.res, changes, {
      event: 'job',
      matches: (e) => e === 'mine',
      render: async () => {
        renders += 1;
        return { renders };
      },
      finished: () => false,
    });
    await jest.advanceTimersByTimeAsync(0);
    expect(renders).toBe(1);
    for (let i = 0; i < 100; i += 1) changes.emit('other');
    await jest.advanceTimersByTimeAsync(60_000);
    expect(renders).toBe(1);
    changes.emit('mine');
    await jest.advanceTimersByTimeAsync(0);
    expect(out.frames).toEqual([{ renders: 1 }, { renders: 2 }]);
  });

  it('skips a failed render and sends the next one, without an error frame', async () => {
    const changes = feed();
    const out = fakeResponse();
    open.push(out.close);
    const attempts = new EventEmitter();
    let fail = true;
    let renders = 0;
    const failed = once(attempts, 'failed');
    streamChanges(out.res, changes, {
      event: 'job',
      matches: () => true,
      render: async () => {
        renders += 1;
        if (fail) {
          attempts.emit('failed');
          throw new Error('database restarting');
        }
        return { ok: true };
      },
      finished: () => false,
    });
    await failed;
    fail = false;
    const frame = out.nextFrame();
    changes.emit('x');
    expect(await frame).toEqual({ ok: true });
    expect(renders).toBe(2);
    expect(out.frames).toEqual([{ ok: true }]);
    out.close();
    expect(out.ended()).toBe(true);
    expect(changes.listeners()).toBe(0);
  });

  it('tries a failed render again after two seconds when nothing changes', async () => {
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
        if (renders === 1) throw new Error('database restarting');
        return { renders };
      },
      finished: () => false,
    });
    await jest.advanceTimersByTimeAsync(1_999);
    expect(renders).toBe(1);
    expect(out.frames).toEqual([]);
    await jest.advanceTimersByTimeAsync(1);
    expect(renders).toBe(2);
    expect(out.frames).toEqual([{ renders: 2 }]);
  });

  it('ends after the frame that finishes it, and stops listening', async () => {
    const changes = feed();
    const out = fakeResponse();
    open.push(out.close);
    let state = 'running';
    streamChanges(out.res, changes, {
      event: 'job',
      matches: () => true,
      render: async () => ({ state }),
      finished: (v) => v.state === 'done',
    });
    expect(await out.nextFrame()).toEqual({ state: 'running' });
    expect(out.ended()).toBe(false);
    state = 'done';
    changes.emit('x');
    await out.whenEnded();
    expect(out.frames).toEqual([{ state: 'running' }, { state: 'done' }]);
    expect(changes.listeners()).toBe(0);
  });
});

describe('streamChanges while nothing changes', () => {
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
    expect(out.heartbeats()).toBe(40); // one every 15 s
    out.close();
    expect(changes.listeners()).toBe(0);
    await jest.advanceTimersByTimeAsync(60_000);
    expect(out.heartbeats()).toBe(40); // none after the stream closed
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
    expect(await out.nextFrame()).toEqual({ renders: 1 });
    const next = out.nextFrame();
    changes.resync();
    expect(await next).toEqual({ renders: 2 });
    expect(out.frames).toEqual([{ renders: 1 }, { renders: 2 }]);
  });
});
