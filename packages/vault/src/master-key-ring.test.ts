import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import { createMasterKeyRing } from './master-key-ring.js';
import { isVaultError } from './vault-error.js';

describe('createMasterKeyRing', () => {
  it('holds versions and never shows key bytes', () => {
    const k1 = randomBytes(32);
    const k2 = randomBytes(32);
    const ring = createMasterKeyRing({
      keys: new Map([
        [1, k1],
        [2, k2],
      ]),
      activeVersion: 2,
    });
    expect(ring.activeVersion).toBe(2);
    expect(ring.versions).toEqual([2, 1]);
    expect(ring.has(1)).toBe(true);
    expect(ring.has(3)).toBe(false);
    const shown = JSON.stringify(ring) + inspect(ring, { showHidden: true, depth: 10 }) + String(ring);
    for (const key of [k1, k2]) {
      expect(shown).not.toContain(key.toString('base64'));
      expect(shown).not.toContain(key.toString('hex'));
    }
    expect(JSON.parse(JSON.stringify(ring))).toEqual({ activeVersion: 2, versions: [2, 1] });
  });

  it('copies the keys, so the caller may wipe its buffers', () => {
    const k1 = randomBytes(32);
    const ring = createMasterKeyRing({ keys: new Map([[1, k1]]), activeVersion: 1 });
    const copy = Buffer.from(k1);
    k1.fill(0);
    expect(ring.keyFor(1).export().equals(copy)).toBe(true);
  });

  it('refuses bad rings', () => {
    const bad = [
      () => createMasterKeyRing({ keys: new Map(), activeVersion: 1 }),
      () => createMasterKeyRing({ keys: new Map([[1, randomBytes(16)]]), activeVersion: 1 }),
      () => createMasterKeyRing({ keys: new Map([[0, randomBytes(32)]]), activeVersion: 0 }),
      () => createMasterKeyRing({ keys: new Map([[1, randomBytes(32)]]), activeVersion: 2 }),
    ];
    for (const make of bad) {
      expect(() => make()).toThrow();
      try {
        make();
      } catch (error) {
        expect(isVaultError(error, 'MASTER_KEY_INVALID')).toBe(true);
      }
    }
    const ring = createMasterKeyRing({ keys: new Map([[1, randomBytes(32)]]), activeVersion: 1 });
    expect(() => ring.keyFor(7)).toThrow(expect.objectContaining({ code: 'KEY_VERSION_UNKNOWN' }));
  });
});
