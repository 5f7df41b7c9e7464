import { execFile } from 'node:child_process';
import { access, constants } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** Binaries the SSH test targets and the OpenSSH-client proofs need, and their Debian packages. */
const REQUIRED: ReadonlyArray<{ path: string; pkg: string }> = [
  { path: '/usr/sbin/sshd', pkg: 'openssh-server' },
  { path: '/usr/bin/ssh', pkg: 'openssh-client' },
  { path: '/usr/bin/sshpass', pkg: 'sshpass' },
  { path: '/usr/bin/sudo', pkg: 'sudo' },
  // util-linux: always present on Debian, listed so a missing one fails with a clear message.
  { path: '/usr/bin/unshare', pkg: 'util-linux' },
  { path: '/usr/bin/nsenter', pkg: 'util-linux' },
  { path: '/usr/bin/setpriv', pkg: 'util-linux' },
];

export const SSH_TOOL_PACKAGES = ['openssh-server', 'openssh-client', 'sshpass', 'sudo'] as const;

let ensured: Promise<void> | undefined;

async function missingPackages(): Promise<string[]> {
  const missing = new Set<string>();
  for (const { path, pkg } of REQUIRED) {
    try {
      await access(path, constants.X_OK);
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
 * Installs openssh-server, openssh-client, sshpass and sudo from Debian when one is missing.
 * Runs at most once per process; cheap (a few stat calls) when everything is there.
 */
export function ensureSshTools(): Promise<void> {
  ensured ??= (async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('SSH test targets need root (mount namespaces, useradd inside them)');
    }
    const missing = await missingPackages();
    if (missing.length === 0) return;
    if (missing.includes('util-linux')) {
      throw new Error('unshare/nsenter/setpriv missing: install util-linux');
    }
    await aptInstall(missing);
    const still = await missingPackages();
    if (still.length > 0) throw new Error(`could not install: ${still.join(', ')}`);
  })();
  ensured.catch(() => {
    ensured = undefined;
  });
  return ensured;
}
