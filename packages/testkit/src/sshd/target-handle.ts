import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { isTargetUsername } from '@passman/contracts/limits';
import type { HostKey } from './host-keys.js';
import { runCommand, type RunResult } from './namespace-process.js';
import { openSshdLog, type SshdLog } from './sshd-log.js';
import { renderUserSetup, type SshUserSpec } from './user-setup.js';

/**
 * Everything needed to use a running target from another process — e.g. targets started in
 * jest's globalSetup and used by test workers (pass it as JSON in an environment variable).
 */
export interface SshTargetDescriptor {
  readonly host: string;
  readonly port: number;
  readonly hostKeys: readonly HostKey[];
  /** Host pid of pid 1 in the target's namespaces (commands enter them with nsenter). */
  readonly nsPid: number;
  /** The target's private directory (config, host keys, sshd.log). */
  readonly dir: string;
}

/** What any process can do with a running target. */
export interface SshTargetHandle {
  readonly host: string;
  readonly port: number;
  /** The host keys sshd currently offers. */
  readonly hostKeys: readonly HostKey[];
  /** Fingerprints to pin ('SHA256:…'), one per host key. */
  readonly fingerprints: readonly string[];
  readonly log: SshdLog;
  /** Creates more users (each test makes its own, so tests never depend on each other). */
  addUsers(users: readonly SshUserSpec[]): Promise<void>;
  /** Runs argv as root inside the target's namespace. */
  run(argv: readonly string[], input?: string | Buffer): Promise<RunResult>;
  /** Runs a shell command as `user` inside the target (`su - user -c`). */
  runAs(user: string, command: string, input?: string | Buffer): Promise<RunResult>;
  /** The target's /etc/shadow, one full line per user name. */
  readShadow(): Promise<Map<string, string>>;
  /** A JSON-serialisable description, for attachSshTarget() in another process. */
  describe(): SshTargetDescriptor;
}

let scriptSeq = 0;

export function createTargetHandle(current: () => SshTargetDescriptor): SshTargetHandle {
  const first = current();
  const log = openSshdLog(join(first.dir, 'sshd.log'));
  const run = (argv: readonly string[], input?: string | Buffer): Promise<RunResult> =>
    runCommand(['nsenter', '-t', String(current().nsPid), '-m', '-p', '--', ...argv], input);
  return {
    host: first.host,
    port: first.port,
    get hostKeys() {
      return current().hostKeys;
    },
    get fingerprints() {
      return current().hostKeys.map((key) => key.fingerprint);
    },
    log,
    async addUsers(users) {
      const { dir } = current();
      const setup = renderUserSetup(users, dir);
      const path = join(dir, `users-${process.pid}-${++scriptSeq}.sh`);
      writeFileSync(path, setup.script, { mode: 0o600 });
      try {
        const result = await run(['/bin/sh', path], setup.chpasswdInput);
        if (result.code !== 0) throw new Error(`adding users failed (${result.code}): ${result.stderr.trim()}`);
      } finally {
        rmSync(path, { force: true });
      }
    },
    run,
    runAs(user, command, input) {
      if (!isTargetUsername(user)) throw new Error(`invalid user name ${JSON.stringify(user)}`);
      return run(['su', '-', user, '-c', command], input);
    },
    async readShadow() {
      const result = await run(['cat', '/etc/shadow']);
      if (result.code !== 0) throw new Error(`reading /etc/shadow failed: ${result.stderr}`);
      const entries = new Map<string, string>();
      for (const line of result.stdout.split('\n')) {
        const name = line.split(':', 1)[0];
        if (name) entries.set(name, line);
      }
      return entries;
    },
    describe: current,
  };
}

/** Uses a target another process started (see SshTargetDescriptor); it cannot stop it. */
export function attachSshTarget(descriptor: SshTargetDescriptor): SshTargetHandle {
  return createTargetHandle(() => descriptor);
}
