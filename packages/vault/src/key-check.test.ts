import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { createKeyCheck, verifyKeyCheck } from './key-check.js';
import { createMasterKeyRing } from './master-key-ring.js';

const ring = (entries: [number, Buffer][]) => createMasterKeyRing({ keys: new Map(entries), activeVersion: entries[0]![0] });

describe('master key check', () => {
  const k1 = randomBytes(32);
  const k2 = randomBytes(32);
  const stored = createKeyCheck(ring([[1, k1]]));

  it('is a short string without key material', () => {
    expect(typeof stored).toBe('string');
    expect(stored.length).toBeLessThan(200);
    expect(stored).not.toContain(k1.toString('base64').slice(0, 20));
  });

  it('accepts the right key', () => {
    expect(verifyKeyCheck(ring([[1, k1]]), stored)).toEqual({ ok: true, verified: [1], mismatched: [], unrecorded: [], notLoaded: [] });
  });

  it('rejects a wrong key under the recorded version', () => {
    const result = verifyKeyCheck(ring([[1, randomBytes(32)]]), stored);
    expect(result).toMatchObject({ ok: false, code: 'MASTER_KEY_MISMATCH', mismatched: [1] });
  });

  it('accepts a rotation that keeps the old key, reporting the new version as unrecorded', () => {
    const rotated = ring([
      [2, k2],
      [1, k1],
    ]);
    expect(verifyKeyCheck(rotated, stored)).toMatchObject({ ok: true, verified: [1], unrecorded: [2] });
    expect(verifyKeyCheck(rotated, createKeyCheck(rotated))).toMatchObject({ ok: true, verified: [2, 1], unrecorded: [] });
  });

  it('cannot vouch for a ring that shares no version with the check', () => {
    expect(verifyKeyCheck(ring([[2, k2]]), stored)).toMatchObject({ ok: false, code: 'MASTER_KEY_UNVERIFIABLE', notLoaded: [1] });
  });

  it('refuses a stored value it does not understand', () => {
    for (const junk of ['', 'nope', '{}', '{"format":2,"checks":{}}', '{"format":1,"checks":{"x":"y"}}']) {
      expect(() => verifyKeyCheck(ring([[1, k1]]), junk)).toThrow(expect.objectContaining({ code: 'KEY_CHECK_INVALID' }));
    }
  });
});
