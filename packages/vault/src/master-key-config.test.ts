import { describe, it, expect, beforeAll, afterAll } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { chmod, readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { ensureMasterKeyFile, loadMasterKeyRing, parseMasterKeySpec } from './master-key-config.js';
import { createVault } from './envelope.js';
import { makeTempDir } from './ssh-keygen.test-util.js';
import { VaultError, type VaultErrorCode } from './vault-error.js';

const b64 = () => randomBytes(32).toString('base64');

function failure(fn: () => unknown): VaultError {
  try {
    fn();
  } catch (error) {
    if (error instanceof VaultError) return error;
    throw error;
  }
  throw new Error('expected a VaultError');
}
const codeOf = (fn: () => unknown): VaultErrorCode => failure(fn).code;

describe('parseMasterKeySpec', () => {
  it('reads a single base64 key as version 1', () => {
    const key = randomBytes(32);
    const ring = parseMasterKeySpec(key.toString('base64'));
    expect(ring.versions).toEqual([1]);
    expect(ring.activeVersion).toBe(1);
    expect(ring.keyFor(1).export().equals(key)).toBe(true);
    expect(
      parseMasterKeySpec(`  ${key.toString('base64url')}\n`)
        .keyFor(1)
        .export()
        .equals(key),
    ).toBe(true);
  });

  it('reads a versioned list whose first entry is active, with commas, spaces, newlines and comments', () => {
    const [k2, k1, k7] = [b64(), b64(), b64()];
    expect(parseMasterKeySpec(`2:${k2},1:${k1}`).activeVersion).toBe(2);
    const ring = parseMasterKeySpec(`# rotated in May\n1:${k1}\n 7:${k7} , 2:${k2}\n`);
    expect(ring.activeVersion).toBe(1);
    expect(ring.versions).toEqual([7, 2, 1]);
  });

  it('refuses malformed specs without quoting them', () => {
    const secret = b64();
    const cases: [string, VaultErrorCode][] = [
      ['', 'MASTER_KEY_MISSING'],
      ['# only a comment', 'MASTER_KEY_MISSING'],
      [randomBytes(16).toString('base64'), 'MASTER_KEY_INVALID'],
      [randomBytes(33).toString('base64'), 'MASTER_KEY_INVALID'],
      ['not base64 at all!!', 'MASTER_KEY_INVALID'],
      [`1:${secret},1:${b64()}`, 'MASTER_KEY_INVALID'],
      [`${secret},2:${b64()}`, 'MASTER_KEY_INVALID'],
      [`0:${secret}`, 'MASTER_KEY_INVALID'],
      [`x:${secret}`, 'MASTER_KEY_INVALID'],
      [`1:${secret.slice(0, 40)}!!!`, 'MASTER_KEY_INVALID'],
    ];
    for (const [spec, code] of cases) {
      const error = failure(() => parseMasterKeySpec(spec));
      expect([spec.slice(0, 12), error.code]).toEqual([spec.slice(0, 12), code]);
      expect(error.message).not.toContain(secret.slice(0, 16));
    }
  });
});

describe('loadMasterKeyRing', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
  afterAll(async () => cleanup());

  it('reads PASSMAN_MASTER_KEY', () => {
    const loaded = loadMasterKeyRing({ PASSMAN_MASTER_KEY: `3:${b64()}` });
    expect(loaded.source).toBe('env');
    expect(loaded.keyRing.activeVersion).toBe(3);
  });

  it('reads PASSMAN_MASTER_KEY_FILE and warns when others can read it', async () => {
    const path = join(dir, 'key-a');
    await writeFile(path, `1:${b64()}\n`, { mode: 0o600 });
    const loaded = loadMasterKeyRing({ PASSMAN_MASTER_KEY_FILE: path });
    expect(loaded).toMatchObject({ source: 'file', path, warnings: [] });
    await chmod(path, 0o644);
    expect(loadMasterKeyRing({ PASSMAN_MASTER_KEY_FILE: path }).warnings).toHaveLength(1);
  });

  it('says why no key could be loaded', () => {
    expect(codeOf(() => loadMasterKeyRing({}))).toBe('MASTER_KEY_MISSING');
    expect(codeOf(() => loadMasterKeyRing({ PASSMAN_MASTER_KEY: '  ' }))).toBe('MASTER_KEY_MISSING');
    expect(codeOf(() => loadMasterKeyRing({ PASSMAN_MASTER_KEY: b64(), PASSMAN_MASTER_KEY_FILE: '/x' }))).toBe('MASTER_KEY_INVALID');
    expect(codeOf(() => loadMasterKeyRing({ PASSMAN_MASTER_KEY_FILE: join(dir, 'absent') }))).toBe('MASTER_KEY_FILE_UNREADABLE');
  });
});

describe('ensureMasterKeyFile', () => {
  let dir: string;
  let cleanup: () => Promise<void>;
  beforeAll(async () => ({ dir, cleanup } = await makeTempDir()));
  afterAll(async () => cleanup());

  it('creates a 0600 key file once (in a new directory), then leaves it alone', async () => {
    const path = join(dir, 'data', 'nested', 'master.key');
    expect(await ensureMasterKeyFile(path)).toEqual({ created: true, path });
    expect((await stat(path)).mode & 0o777).toBe(0o600);
    const content = await readFile(path, 'utf8');
    expect(await ensureMasterKeyFile(path)).toEqual({ created: false, path });
    expect(await readFile(path, 'utf8')).toBe(content);

    const loaded = loadMasterKeyRing({ PASSMAN_MASTER_KEY_FILE: path });
    expect(loaded.warnings).toEqual([]);
    const vault = createVault({ keyRing: loaded.keyRing });
    const ctx = { credentialId: 'c', version: 1, purpose: 'credential-secret' };
    expect(vault.decrypt(vault.encrypt('hello', ctx), ctx).toString()).toBe('hello');
  });

  it('lets exactly one of several concurrent starters create the key', async () => {
    const path = join(dir, 'race.key');
    const results = await Promise.all(Array.from({ length: 8 }, () => ensureMasterKeyFile(path)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(loadMasterKeyRing({ PASSMAN_MASTER_KEY_FILE: path }).keyRing.versions).toEqual([1]);
  });
});
