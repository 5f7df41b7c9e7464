/**
 * The versioned master keys. Each record stores the version of the master key that
 * wrapped its data key, so several versions can be loaded at once: the active one
 * wraps new records, older ones still unwrap records not yet re-wrapped.
 *
 * Keys are held as KeyObjects inside a closure, so a ring passed to a logger,
 * JSON.stringify or util.inspect shows versions only, never key bytes.
 */
import { createSecretKey, type KeyObject } from 'node:crypto';
import { inspect } from 'node:util';
import { VaultError } from './vault-error.js';

export const MASTER_KEY_BYTES = 32;
const MAX_KEY_VERSION = 0x7fff_ffff; // fits the Int column `credential_versions.key_version`

export interface MasterKeyRing {
  /** The version new records are wrapped under. */
  readonly activeVersion: number;
  /** Every loaded version, highest first. */
  readonly versions: readonly number[];
  has(version: number): boolean;
  /** The key of a version; throws VaultError KEY_VERSION_UNKNOWN when not loaded. */
  keyFor(version: number): KeyObject;
}

export interface MasterKeyRingInit {
  keys: ReadonlyMap<number, Buffer>;
  activeVersion: number;
}

export function createMasterKeyRing({ keys, activeVersion }: MasterKeyRingInit): MasterKeyRing {
  if (!(keys instanceof Map) || keys.size === 0) {
    throw new VaultError('MASTER_KEY_INVALID', 'the master key ring needs at least one key');
  }
  const byVersion = new Map<number, KeyObject>();
  for (const [version, key] of keys) {
    assertKeyVersion(version);
    if (!Buffer.isBuffer(key) || key.length !== MASTER_KEY_BYTES) {
      throw new VaultError('MASTER_KEY_INVALID', `master key version ${version} must be exactly ${MASTER_KEY_BYTES} bytes`, {
        details: { keyVersion: version },
      });
    }
    // createSecretKey copies the bytes, so the caller may wipe its buffer afterwards.
    byVersion.set(version, createSecretKey(key));
  }
  if (!byVersion.has(activeVersion)) {
    throw new VaultError('MASTER_KEY_INVALID', `active master key version ${String(activeVersion)} is not in the ring`);
  }
  const versions = Object.freeze([...byVersion.keys()].sort((a, b) => b - a));

  const ring: MasterKeyRing = {
    activeVersion,
    versions,
    has: (version) => byVersion.has(version),
    keyFor(version) {
      const key = byVersion.get(version);
      if (!key) {
        throw new VaultError('KEY_VERSION_UNKNOWN', `master key version ${String(version)} is not loaded`, {
          details: { keyVersion: version },
        });
      }
      return key;
    },
  };
  const describe = () => ({ activeVersion, versions });
  Object.defineProperties(ring, {
    toJSON: { value: describe, enumerable: false },
    [inspect.custom]: { value: () => `MasterKeyRing ${inspect(describe())}`, enumerable: false },
  });
  return Object.freeze(ring);
}

export function assertKeyVersion(version: unknown): asserts version is number {
  if (typeof version !== 'number' || !Number.isInteger(version) || version < 1 || version > MAX_KEY_VERSION) {
    throw new VaultError('MASTER_KEY_INVALID', `master key versions must be integers from 1 to ${MAX_KEY_VERSION}`);
  }
}
