import { describe, expect, it } from '@jest/globals';
import { ConnectorError } from './connector-error.js';
import { createTargetLimiter } from './target-limiter.js';

const options = { maxConnectionsPerTarget: 2, authBackoffBaseMs: 100, authBackoffMaxMs: 350 };

describe('target limiter', () => {
  it('grants at most N slots per target, in arrival order, and targets do not share slots', async () => {
    const limiter = createTargetLimiter(options);
    const signal = new AbortController().signal;
    const a1 = await limiter.acquire('a', signal);
    const a2 = await limiter.acquire('a', signal);
    await limiter.acquire('b', signal); // another target is not blocked
    const order: number[] = [];
    const third = limiter.acquire('a', signal).then((release) => {
      order.push(3);
      return release;
    });
    const fourth = limiter.acquire('a', signal).then((release) => {
      order.push(4);
      return release;
    });
    await new Promise((resolve) => setImmediate(resolve)); // every grant already due has run by now
    expect(order).toEqual([]);
    a1();
    a1(); // releasing twice frees one slot only
    await third;
    expect(order).toEqual([3]);
    a2();
    await fourth;
    expect(order).toEqual([3, 4]);
  });

  it('lets a waiting caller give up with its abort reason', async () => {
    const limiter = createTargetLimiter({ ...options, maxConnectionsPerTarget: 1 });
    await limiter.acquire('a', new AbortController().signal);
    const controller = new AbortController();
    const waiting = limiter.acquire('a', controller.signal);
    controller.abort(new ConnectorError('TIMEOUT', 'too slow'));
    await expect(waiting).rejects.toMatchObject({ code: 'TIMEOUT' });
  });

  it('backs off exponentially after rejected logins, capped, and resets on success', () => {
    let now = 1_000;
    const limiter = createTargetLimiter(options, { now: () => now });
    expect(limiter.backoffRemaining('a')).toBe(0);
    limiter.recordAuthRejected('a');
    expect(limiter.backoffRemaining('a')).toBe(100);
    limiter.recordAuthRejected('a');
    expect(limiter.backoffRemaining('a')).toBe(200);
    limiter.recordAuthRejected('a');
    limiter.recordAuthRejected('a');
    expect(limiter.backoffRemaining('a')).toBe(350);
    expect(limiter.backoffRemaining('b')).toBe(0);
    now += 350;
    expect(limiter.backoffRemaining('a')).toBe(0);
    limiter.recordAuthRejected('a');
    expect(limiter.backoffRemaining('a')).toBe(350);
    limiter.recordAuthAccepted('a');
    expect(limiter.backoffRemaining('a')).toBe(0);
  });
});
