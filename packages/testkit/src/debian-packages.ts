import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** A binary a test needs, and the Debian package that brings it. */
export interface RequiredBinary {
  path: string;
  pkg: string;
  /** A file that is read, not run (a plugin, a data file): only readable, not executable. */
  readOnly?: boolean;
}

/** The packages of the binaries that are not there (or not executable). */
export async function missingPackages(required: readonly RequiredBinary[]): Promise<string[]> {
  const missing = new Set<string>();
  for (const { path, pkg, readOnly } of required) {
    try {
      await access(path, readOnly ? constants.R_OK : constants.X_OK);
    } catch {
      missing.add(pkg);
    }
  }
  return [...missing];
}

async function aptInstall(pkgs: string[]): Promise<void> {
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  // Parallel jest workers may all get here: wait for dpkg's lock instead of failing on it.
  const args = ['-o', 'DPkg::Lock::Timeout=300', 'install', '-y', '--no-install-recommends', ...pkgs];
  try {
    await run('apt-get', args, { env, timeout: 600_000 });
  } catch {
    // A fresh machine may have no package lists yet.
    await run('apt-get', ['-o', 'DPkg::Lock::Timeout=300', 'update'], { env, timeout: 600_000 });
    await run('apt-get', args, { env, timeout: 600_000 });
  }
}

/**
 * Installs from Debian the packages of whichever required binaries are missing, so `npm test`
 * works on a fresh machine without `.ci/run`; cheap (a few stat calls) when all are there.
 */
export async function ensureDebianPackages(required: readonly RequiredBinary[]): Promise<void> {
  const missing = await missingPackages(required);
  if (missing.length === 0) return;
  await aptInstall(missing);
  const still = await missingPackages(required);
  if (still.length > 0) throw new Error(`could not install: ${still.join(', ')}`);
}
