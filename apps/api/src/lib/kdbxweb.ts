import argon2 from 'argon2';
import type kdbxwebModule from 'kdbxweb';
import type * as Kdbxweb from 'kdbxweb';

export type { Kdbxweb };
type KdbxwebModule = typeof kdbxwebModule;

/**
 * Argon2 costs a KeePass file may ask for before PassMan opens it: the file chooses them, so a
 * hostile one could otherwise ask for gigabytes. KeePassXC's defaults (64 MiB, a few rounds) pass,
 * and so do PassMan's own exports.
 */
export const MAX_ARGON2 = { kib: 256 * 1024, iterations: 100, parallelism: 16 };

/** A KeePass file asked for more than MAX_ARGON2. */
export class KdfTooCostly extends Error {}

let loading: Promise<KdbxwebModule> | undefined;

/**
 * kdbxweb, loaded on first use — most processes never read or write a KeePass file, and it costs
 * ≈14 MB of resident memory — with PassMan's Argon2 plugged in: kdbxweb brings none and asks the
 * application for one (memory in KiB), here the native `argon2` package that hashes passwords.
 */
export function loadKdbxweb(): Promise<KdbxwebModule> {
  loading ??= import('kdbxweb').then(({ default: kdbxweb }) => {
    kdbxweb.CryptoEngine.setArgon2Impl(async (password, salt, memory, iterations, length, parallelism, type, version) => {
      if (memory > MAX_ARGON2.kib || iterations > MAX_ARGON2.iterations || parallelism > MAX_ARGON2.parallelism) throw new KdfTooCostly();
      const hash = await argon2.hash(Buffer.from(password), {
        raw: true,
        salt: Buffer.from(salt),
        memoryCost: memory,
        timeCost: iterations,
        hashLength: length,
        parallelism,
        type: type === kdbxweb.CryptoEngine.Argon2TypeArgon2id ? argon2.argon2id : argon2.argon2d,
        version,
      });
      return hash.buffer.slice(hash.byteOffset, hash.byteOffset + hash.byteLength) as ArrayBuffer;
    });
    return kdbxweb;
  });
  return loading;
}
