import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { AppError } from '../../lib/app-error.js';
import { createTestApi, unique, type TestApi } from '../../test/harness.js';
import { createAuthRepo } from './auth.repo.js';
import { createLoginThrottle, sourceKey, throttleSubject, type ThrottleRules } from './login-throttle.js';

// The throttle's rules against real PostgreSQL (its state is shared by API processes there),
// with an injected clock and an injected sleep: no test waits for real time to pass.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const RULES: ThrottleRules = {
  pair: { maxFailures: 5, windowMs: 15 * 60_000, baseBlockMs: 30_000, maxBlockMs: 15 * 60_000 },
  source: { maxFailures: 30, windowMs: 15 * 60_000, baseBlockMs: 60_000, maxBlockMs: 30 * 60_000 },
  user: { freeFailures: 3, windowMs: 15 * 60_000, baseDelayMs: 500, maxDelayMs: 4_000 },
};

function harness(rules: ThrottleRules = RULES) {
  // In the past, so a sweep at this clock never touches the rows other test files write meanwhile.
  let t = Date.now() - 2 * 3_600_000;
  const sleeps: number[] = [];
  const throttle = createLoginThrottle({
    repo: createAuthRepo(api.db),
    rules,
    now: () => new Date(t),
    sleep: async (ms) => {
      sleeps.push(ms);
    },
  });
  return {
    throttle,
    sleeps,
    advance: (ms: number) => {
      t += ms;
    },
    now: () => new Date(t),
  };
}

/** A source address of its own (only a throttle key here, never dialled). */
let n = 0;
const ip = () => `192.0.2.${(n += 1)}-${unique('src')}`;

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('login throttle', () => {
  it('refuses a source after 5 failures for one user, not another source; the block lapses', async () => {
    const { throttle, advance } = harness();
    const subject = unique('user');
    const attacker = ip();
    for (let i = 0; i < 5; i += 1) await (await throttle.admit(subject, attacker)).failed();
    const refused = await refusal(throttle.admit(subject, attacker));
    expect(refused.code).toBe('RATE_LIMITED');
    expect(Number(refused.options.headers?.['Retry-After'])).toBe(30);
    await (await throttle.admit(subject, ip())).succeeded();

    advance(30_001);
    await (await throttle.admit(subject, attacker)).failed();
    // Each further failure doubles the block.
    expect(Number((await refusal(throttle.admit(subject, attacker))).options.headers?.['Retry-After'])).toBe(60);
  });

  it('lets racing attempts of one source through only up to its allowance', async () => {
    const { throttle } = harness();
    const subject = unique('user');
    const attacker = ip();
    const outcomes = await Promise.allSettled(Array.from({ length: 12 }, () => throttle.admit(subject, attacker)));
    const admitted = outcomes.filter((o) => o.status === 'fulfilled');
    const refused = outcomes.filter((o): o is PromiseRejectedResult => o.status === 'rejected');
    expect(admitted).toHaveLength(5);
    expect(refused.map((o) => (o.reason as AppError).code)).toEqual(Array(7).fill('RATE_LIMITED'));
  });

  it('slows failures past the per-user ceiling, and sources that failed before verifying, never the right password from a clean source', async () => {
    const { throttle, sleeps } = harness();
    const subject = unique('user');
    const sources = [ip(), ip(), ip()];
    for (const s of sources) await (await throttle.admit(subject, s)).failed();
    expect(sleeps).toEqual([]); // three failures are free

    // A fourth, from a fresh source: its failure is answered after a delay.
    await (await throttle.admit(subject, ip())).failed();
    expect(sleeps).toEqual([500]);

    // A source that already failed for this user waits before its password is even checked …
    const tainted = await throttle.admit(subject, sources[0]!);
    expect(sleeps).toEqual([500, 1_000]);
    await tainted.failed(); // … and not twice
    expect(sleeps).toEqual([500, 1_000]);

    // The real user, from a source that has not failed, is never slowed nor refused.
    const real = await throttle.admit(subject, ip());
    await real.succeeded();
    expect(sleeps).toEqual([500, 1_000]);

    // The delay is bounded.
    for (let i = 0; i < 6; i += 1) await (await throttle.admit(subject, ip())).failed();
    expect(sleeps.slice(2)).toEqual([2_000, 4_000, 4_000, 4_000, 4_000, 4_000]);
    await (await throttle.admit(subject, ip())).succeeded();
    expect(sleeps).toHaveLength(8);
  });

  it('blocks a source guessing many usernames, and a success elsewhere does not reset that source', async () => {
    const rules = { ...RULES, source: { ...RULES.source, maxFailures: 3 } };
    const { throttle } = harness(rules);
    const attacker = ip();
    await (await throttle.admit(unique('a'), attacker)).failed();
    await (await throttle.admit(unique('b'), attacker)).failed();
    // The attacker logs in to an account of its own in between guesses.
    await (await throttle.admit(unique('own'), attacker)).succeeded();
    await (await throttle.admit(unique('c'), attacker)).failed();
    expect((await refusal(throttle.admit(unique('d'), attacker))).code).toBe('RATE_LIMITED');
    await (await throttle.admit(unique('d'), ip())).succeeded();
  });

  it('a success clears the source’s failures for that user', async () => {
    const { throttle } = harness();
    const subject = unique('user');
    const me = ip();
    for (let i = 0; i < 4; i += 1) await (await throttle.admit(subject, me)).failed();
    await (await throttle.admit(subject, me)).succeeded();
    for (let i = 0; i < 5; i += 1) await (await throttle.admit(subject, me)).failed();
    expect((await refusal(throttle.admit(subject, me))).code).toBe('RATE_LIMITED');
  });

  it('keeps its storage bounded: the sweep deletes lapsed rows and keeps live ones', async () => {
    const { throttle, advance } = harness();
    const old = unique('old');
    const live = unique('live');
    const source = ip();
    for (let i = 0; i < 5; i += 1) await (await throttle.admit(old, source)).failed();
    advance(16 * 60_000);
    await (await throttle.admit(live, ip())).failed();
    // The source's own block (5 failures of 30) never started; the pair's 30 s block lapsed.
    const before = await api.db.loginThrottle.count({ where: { key: { contains: old } } });
    expect(before).toBeGreaterThan(0);
    const purged = await throttle.purgeExpired();
    expect(purged).toBeGreaterThanOrEqual(before);
    expect(await api.db.loginThrottle.count({ where: { key: { contains: old } } })).toBe(0);
    expect(await api.db.loginThrottle.count({ where: { key: { contains: live } } })).toBeGreaterThan(0);
  });

  it('a row whose block outlasts its window is kept until the block ends', async () => {
    const rules = { ...RULES, pair: { ...RULES.pair, baseBlockMs: 20 * 60_000, maxBlockMs: 20 * 60_000 } };
    const { throttle, advance } = harness(rules);
    const subject = unique('user');
    const attacker = ip();
    for (let i = 0; i < 5; i += 1) await (await throttle.admit(subject, attacker)).failed();
    advance(16 * 60_000);
    await throttle.purgeExpired();
    expect((await refusal(throttle.admit(subject, attacker))).code).toBe('RATE_LIMITED');
  });
});

describe('throttle keys', () => {
  it('an unknown username is kept only as a coarse bucket, never as typed', () => {
    const typed = 'MyS3cret-Passw0rd!';
    const subject = throttleSubject(typed, null);
    expect(subject.toLowerCase()).not.toContain(typed.toLowerCase());
    expect(subject).toBe(throttleSubject(typed.toLowerCase(), null));
    expect(subject).toMatch(/^name:[0-9a-f]{4}$/);
    expect(throttleSubject(typed, '0193aaaa-0000-7000-8000-000000000001')).toBe('user:0193aaaa-0000-7000-8000-000000000001');
  });

  it('a source is an IPv4 address, or the /64 network of an IPv6 one', () => {
    expect(sourceKey('::ffff:127.0.0.2')).toBe('127.0.0.2');
    expect(sourceKey('127.0.0.3')).toBe('127.0.0.3');
    expect(sourceKey('2001:db8:1:2:aaaa::1')).toBe(sourceKey('2001:db8:1:2:bbbb:cccc:dddd:2'));
    expect(sourceKey('2001:db8:1:2::1')).not.toBe(sourceKey('2001:db8:1:3::1'));
    expect(sourceKey('2001:db8:1:2::1')).toBe('2001:db8:1:2::/64');
    expect(sourceKey(null)).toBe('unknown');
  });
});
