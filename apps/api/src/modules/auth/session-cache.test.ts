import { describe, expect, it } from '@jest/globals';
import type { SessionWithUser } from './auth.repo.js';
import { createSessionCache } from './session-cache.js';

const session = (id: string): SessionWithUser => ({
  id,
  createdAt: new Date(0),
  expiresAt: new Date(0),
  lastSeenAt: new Date(0),
  user: { id: 'u', username: 'u', displayName: 'u', disabledAt: null, role: { name: 'admin', permissions: [] } },
});

describe('session cache', () => {
  it('keeps a session for its TTL only', () => {
    let t = 1_000;
    const cache = createSessionCache({ ttlMs: 2_000, now: () => t });
    cache.set('h', session('s1'), cache.version());
    t += 2_000;
    expect(cache.get('h')?.id).toBe('s1');
    t += 1;
    expect(cache.get('h')).toBeUndefined();
  });

  it('forgets everything when invalidated, and never grows past its limit', () => {
    const cache = createSessionCache({ maxEntries: 2 });
    cache.set('a', session('a'), cache.version());
    cache.set('b', session('b'), cache.version());
    cache.set('c', session('c'), cache.version());
    expect([cache.get('a'), cache.get('b'), cache.get('c')?.id]).toEqual([undefined, undefined, 'c']);
    cache.invalidate();
    expect(cache.get('c')).toBeUndefined();
  });

  it('refuses a session read before an invalidation, so a revocation is never undone by a request racing it', () => {
    const cache = createSessionCache();
    const readSince = cache.version();
    // The request read the session from the database; meanwhile the session was revoked.
    cache.invalidate();
    cache.set('h', session('revoked'), readSince);
    expect(cache.get('h')).toBeUndefined();
    cache.set('h', session('fresh'), cache.version());
    expect(cache.get('h')?.id).toBe('fresh');
  });
});
