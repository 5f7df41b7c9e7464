import { ensureDebianPackages, missingPackages, type RequiredBinary } from '../debian-packages.js';

/** Binaries the SSH test targets and the OpenSSH-client proofs need, and their Debian packages. */
const REQUIRED: readonly RequiredBinary[] = [
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

/**
 * Installs openssh-server, openssh-client, sshpass and sudo from Debian when one is missing.
 * Runs at most once per process; cheap (a few stat calls) when everything is there.
 */
export function ensureSshTools(): Promise<void> {
  ensured ??= (async () => {
    if (process.getuid?.() !== 0) {
      throw new Error('SSH test targets need root (mount namespaces, useradd inside them)');
    }
    if ((await missingPackages(REQUIRED)).includes('util-linux')) {
      throw new Error('unshare/nsenter/setpriv missing: install util-linux');
    }
    await ensureDebianPackages(REQUIRED);
  })();
  ensured.catch(() => {
    ensured = undefined;
  });
  return ensured;
}
