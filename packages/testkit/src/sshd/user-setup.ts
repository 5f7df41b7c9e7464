import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTargetUsername } from '@passman/contracts/limits';

/** A login to create on a target. */
export interface SshUserSpec {
  name: string;
  /** Set with `chpasswd -c SHA512` (≈3 ms per login instead of yescrypt's ≈30 ms). Omitted: no password login. */
  password?: string;
  /** authorized_keys lines, written to ~/.ssh/authorized_keys (dir 700, file 600, owned by the user). */
  authorizedKeys?: readonly string[];
  /** Make ~/.ssh (and what is inside) owned by this other user, as a misconfigured host has it. */
  sshDirOwner?: string;
  /** May run chpasswd as root through sudo; 'nopasswd' without a sudo password. */
  sudoChpasswd?: boolean | 'nopasswd';
  /** May run `/bin/sh -s` as any other user (not root) through sudo — a managing account that installs keys; 'nopasswd' as above. */
  sudoAsUsers?: boolean | 'nopasswd';
  shell?: string;
}

const SHELL = /^\/[A-Za-z0-9/_.-]+$/;

function checkName(name: string): string {
  if (!isTargetUsername(name)) throw new Error(`invalid test user name: ${JSON.stringify(name)}`);
  return name;
}

export interface UserSetup {
  /** POSIX sh script to run as root inside the target's namespace; reads chpasswd input on stdin. */
  script: string;
  /** `name:password` lines for chpasswd (stdin, never argv). */
  chpasswdInput: string;
}

let fileSeq = 0;

/**
 * Renders the commands that create `users` inside a target. Names are validated, so they can
 * appear in the script; keys go through files in the target's private directory and passwords
 * through stdin.
 */
export function renderUserSetup(users: readonly SshUserSpec[], privateDir: string): UserSetup {
  const lines = ['set -eu'];
  const passwords: string[] = [];
  for (const user of users) {
    const name = checkName(user.name);
    const home = name === 'root' ? '/root' : `/home/${name}`;
    const group = name;
    if (name !== 'root') {
      const shell = user.shell ?? '/bin/bash';
      if (!SHELL.test(shell)) throw new Error(`invalid shell: ${shell}`);
      lines.push(`useradd -m -s ${shell} -- ${name}`);
    }
    if (user.authorizedKeys || user.sshDirOwner) {
      lines.push(`install -d -m 700 -o ${name} -g ${group} ${home}/.ssh`);
    }
    if (user.authorizedKeys) {
      const file = join(privateDir, `keys-${process.pid}-${++fileSeq}`);
      const content = user.authorizedKeys.map((line) => {
        if (/[\r\n\0]/.test(line)) throw new Error('authorized key lines must be single lines');
        return `${line}\n`;
      });
      writeFileSync(file, content.join(''), { mode: 0o600 });
      lines.push(`install -m 600 -o ${name} -g ${group} ${file} ${home}/.ssh/authorized_keys`, `rm -f ${file}`);
    }
    if (user.sshDirOwner) {
      const owner = checkName(user.sshDirOwner);
      lines.push(`chown -R ${owner}: ${home}/.ssh`);
    }
    const rules = [
      ...(user.sudoChpasswd ? [`${name} ALL=(root) ${user.sudoChpasswd === 'nopasswd' ? 'NOPASSWD: ' : ''}/usr/sbin/chpasswd`] : []),
      ...(user.sudoAsUsers ? [`${name} ALL=(ALL,!root) ${user.sudoAsUsers === 'nopasswd' ? 'NOPASSWD: ' : ''}/bin/sh -s`] : []),
    ];
    if (rules.length > 0) {
      const file = `/etc/sudoers.d/passman-${name}`;
      lines.push(`printf '%s\\n' ${[...rules, `Defaults:${name} lecture=never`].map((r) => `'${r}'`).join(' ')} > ${file}`, `chmod 440 ${file}`);
    }
    if (user.password !== undefined) {
      if (/[\r\n\0]/.test(user.password)) throw new Error('test passwords must be single lines');
      passwords.push(`${name}:${user.password}\n`);
    }
  }
  if (passwords.length > 0) lines.push('chpasswd -c SHA512');
  return { script: `${lines.join('\n')}\n`, chpasswdInput: passwords.join('') };
}
