/**
 * Where the master keys come from.
 *
 * `PASSMAN_MASTER_KEY` (or the content of the file named by `PASSMAN_MASTER_KEY_FILE`;
 * set one, not both) is either
 *   - one key: base64 (standard or url-safe) of 32 random bytes — it is version 1; or
 *   - a list `version:base64` separated by commas, spaces or newlines, e.g.
 *     `2:<base64>,1:<base64>`. The FIRST entry is the active key (wraps new records);
 *     the others only unwrap. Listing a new key second lets every node learn it
 *     before any node writes with it; moving it first then activates it.
 * In a file, lines starting with `#` are comments.
 *
 * Generate a key with `openssl rand -base64 32` or `node -e "console.log(require('crypto').randomBytes(32).toString('base64'))"`.
 */
import { randomBytes } from 'node:crypto';
import { constants as fsConstants, readFileSync, statSync } from 'node:fs';
import { chmod, link, mkdir, open, stat, unlink } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import { createMasterKeyRing, assertKeyVersion, MASTER_KEY_BYTES, type MasterKeyRing } from './master-key-ring.js';
import { VaultError } from './vault-error.js';

export const MASTER_KEY_ENV = 'PASSMAN_MASTER_KEY';
export const MASTER_KEY_FILE_ENV = 'PASSMAN_MASTER_KEY_FILE';

export interface LoadedMasterKeyRing {
  keyRing: MasterKeyRing;
  source: 'env' | 'file';
  /** The key file, when `source` is `file`. */
  path?: string;
  /** Things an operator should fix that do not stop PassMan (e.g. a key file readable by others). */
  warnings: string[];
}

const BASE64_32 = /^[A-Za-z0-9+/_-]{43}=?$/;

/** Parses the key specification described above. Errors never quote the input. */
export function parseMasterKeySpec(text: string): MasterKeyRing {
  const tokens = text
    .split(/\r?\n/)
    .filter((line) => !line.trimStart().startsWith('#'))
    .join('\n')
    .split(/[\s,]+/)
    .filter((t) => t.length > 0);
  if (tokens.length === 0) {
    throw new VaultError('MASTER_KEY_MISSING', 'the master key specification is empty');
  }
  const keys = new Map<number, Buffer>();
  let activeVersion: number | undefined;
  tokens.forEach((token, index) => {
    const colon = token.indexOf(':');
    if (colon === -1 && tokens.length > 1) {
      throw new VaultError('MASTER_KEY_INVALID', `entry ${index + 1}: with several keys, write each as version:base64`);
    }
    const versionText = colon === -1 ? '1' : token.slice(0, colon);
    const keyText = colon === -1 ? token : token.slice(colon + 1);
    const version = /^[0-9]{1,10}$/.test(versionText) ? Number(versionText) : NaN;
    try {
      assertKeyVersion(version);
    } catch {
      throw new VaultError('MASTER_KEY_INVALID', `entry ${index + 1}: the version must be an integer from 1 to 2147483647`);
    }
    if (keys.has(version)) {
      throw new VaultError('MASTER_KEY_INVALID', `entry ${index + 1}: version ${version} is listed twice`);
    }
    const key = BASE64_32.test(keyText) ? Buffer.from(keyText, 'base64') : undefined;
    if (!key || key.length !== MASTER_KEY_BYTES) {
      throw new VaultError('MASTER_KEY_INVALID', `entry ${index + 1} (version ${version}): the key must be base64 of exactly ${MASTER_KEY_BYTES} bytes`);
    }
    keys.set(version, key);
    activeVersion ??= version;
  });
  const ring = createMasterKeyRing({ keys, activeVersion: activeVersion as number });
  for (const key of keys.values()) key.fill(0);
  return ring;
}

/**
 * Reads the master key ring from the environment. Throws VaultError
 * MASTER_KEY_MISSING (nothing configured), MASTER_KEY_INVALID or
 * MASTER_KEY_FILE_UNREADABLE; the caller then starts sealed.
 */
export function loadMasterKeyRing(env: Readonly<Record<string, string | undefined>> = process.env): LoadedMasterKeyRing {
  const inline = nonEmpty(env[MASTER_KEY_ENV]);
  const file = nonEmpty(env[MASTER_KEY_FILE_ENV]);
  if (inline !== undefined && file !== undefined) {
    throw new VaultError('MASTER_KEY_INVALID', `set ${MASTER_KEY_ENV} or ${MASTER_KEY_FILE_ENV}, not both`);
  }
  if (inline !== undefined) {
    return { keyRing: parseMasterKeySpec(inline), source: 'env', warnings: [] };
  }
  if (file === undefined) {
    throw new VaultError('MASTER_KEY_MISSING', `no master key: set ${MASTER_KEY_ENV} or ${MASTER_KEY_FILE_ENV}`);
  }
  const path = resolve(file);
  let content: string;
  let mode: number;
  try {
    content = readFileSync(path, 'utf8');
    mode = statSync(path).mode;
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unknown';
    throw new VaultError('MASTER_KEY_FILE_UNREADABLE', `cannot read the master key file ${path} (${code})`, {
      details: { path, errno: code },
    });
  }
  const warnings: string[] = [];
  if (process.platform !== 'win32' && (mode & 0o077) !== 0) {
    warnings.push(`the master key file ${path} is accessible to group or others (mode ${(mode & 0o777).toString(8)}); run chmod 600 on it`);
  }
  return { keyRing: parseMasterKeySpec(content), source: 'file', path, warnings };
}

/**
 * Creates a key file holding one fresh random key (version 1), mode 0600, unless the
 * file exists. The file appears atomically with its full content (written beside it,
 * then hard-linked into place), so a concurrent starter never reads half a key and
 * two starters never both create one. Returns whether this call created it.
 */
export async function ensureMasterKeyFile(path: string): Promise<{ created: boolean; path: string }> {
  const target = resolve(path);
  if (await exists(target)) return { created: false, path: target };

  await mkdir(dirname(target), { recursive: true, mode: 0o700 });
  const temp = `${target}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  const key = randomBytes(MASTER_KEY_BYTES);
  const content =
    '# PassMan master key (version 1). Keep a backup apart from the database:\n' +
    '# without this file the stored credentials cannot be decrypted.\n' +
    `1:${key.toString('base64')}\n`;
  key.fill(0);
  await writeExclusive(temp, content);
  try {
    await link(temp, target);
    return { created: true, path: target };
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return { created: false, path: target };
    // Some filesystems (FAT, a few network mounts) have no hard links: fall back to
    // an exclusive create, which still never overwrites an existing key.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP' && code !== 'ENOSYS') throw error;
    try {
      await writeExclusive(target, content);
      return { created: true, path: target };
    } catch (fallbackError) {
      if ((fallbackError as NodeJS.ErrnoException).code === 'EEXIST') return { created: false, path: target };
      throw fallbackError;
    }
  } finally {
    await unlink(temp).catch(() => undefined);
  }
}

async function writeExclusive(path: string, content: string): Promise<void> {
  const handle = await open(path, fsConstants.O_WRONLY | fsConstants.O_CREAT | fsConstants.O_EXCL, 0o600);
  try {
    await handle.writeFile(content, 'utf8');
    await handle.sync();
  } finally {
    await handle.close();
  }
  await chmod(path, 0o600); // umask can only narrow the mode; be explicit anyway
}

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === '' ? undefined : value;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return false;
    throw error;
  }
}
