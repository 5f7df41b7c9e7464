import { describe, expect, it } from '@jest/globals';
import type { SessionWithUser } from './auth.repo.js';
import { createSessionCache } from './session-cache.js';

const session = (id: string): SessionWithUser => ({
  id,
  expiresAt: new Date(0),
  lastSeenAt: new Date(0),
  user: { id: 'u', username: 'u', displayName: 'u', disabledAt: null, role: { name: 'admin', permissions: [] } },
});

describe('session cache', () => {
  it('keeps a session for its TTL only', () => {
    let t = 1_000;
    const cache = createSessionCache({ ttlMs: 2_000, now: () => t });
    cache.set('h', session('s1'));
    t += 2_000;
    expect(cache.get('h')?.id).toBe('s1');
    t += 1;
    expect(cache.get('h')).toBeUndefined();
  });

  it('forgets everything when invalidated, and never grows past its limit', () => {
    const cache = createSessionCache({ maxEntries: 2 });
    cache.set('a', session('a'));
    cache.set('b', session('b'));
    cache.set('c', session('c'));
    expect([cache.get('a'), cache.get('b'), cache.get('c')?.id]).toEqual([undefined, undefined, 'c']);
    cache.invalidate();
    expect(cache.get('c')).toBeUndefined();
  });
});
