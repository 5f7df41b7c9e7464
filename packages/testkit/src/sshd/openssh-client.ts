import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { RunResult } from './namespace-process.js';

/** Where to log in, and the host keys to trust (written to a private known_hosts file). */
export interface OpenSshEndpoint {
  readonly host: string;
  readonly port: number;
  readonly hostKeys: ReadonlyArray<{ readonly publicKey: string }>;
}

export type OpenSshCredential = { password: string } | { privateKey: string };

export interface OpenSshLoginOptions {
  target: OpenSshEndpoint;
  user: string;
  credential: OpenSshCredential;
  /** Remote command; default `true`. */
  command?: string;
  timeoutMs?: number;
}

/**
 * Logs in with OpenSSH's own `ssh` — the independent proof of what a target now accepts.
 * Passwords go to sshpass through the SSHPASS environment variable (`sshpass -e`), never
 * argv; keys through a 0600 file. Host keys are checked strictly against the given ones.
 * Exit code 0 means the login (and the command) succeeded.
 */
export async function opensshLogin(options: OpenSshLoginOptions): Promise<RunResult> {
  const dir = mkdtempSync('/tmp/passman-ssh-client-');
  try {
    const { host, port, hostKeys } = options.target;
    const knownHosts = join(dir, 'known_hosts');
    writeFileSync(knownHosts, hostKeys.map((key) => `[${host}]:${port} ${key.publicKey}\n`).join(''), { mode: 0o600 });
    const args = [
      '-F',
      '/dev/null',
      '-o',
      `UserKnownHostsFile=${knownHosts}`,
      '-o',
      'GlobalKnownHostsFile=/dev/null',
      '-o',
      'StrictHostKeyChecking=yes',
      '-o',
      'ConnectTimeout=10',
      '-o',
      'LogLevel=ERROR',
      '-p',
      String(port),
    ];
    const env: NodeJS.ProcessEnv = { PATH: process.env.PATH ?? '/usr/bin:/bin', LANG: 'C.UTF-8' };
    let argv: string[];
    if ('password' in options.credential) {
      env.SSHPASS = options.credential.password;
      argv = ['sshpass', '-e', 'ssh', ...args, '-o', 'PreferredAuthentications=password', '-o', 'PubkeyAuthentication=no', '-o', 'NumberOfPasswordPrompts=1'];
    } else {
      const identity = join(dir, 'identity');
      writeFileSync(identity, options.credential.privateKey, { mode: 0o600 });
      argv = [
        'ssh',
        ...args,
        '-o',
        'BatchMode=yes',
        '-o',
        'IdentitiesOnly=yes',
        '-o',
        'PreferredAuthentications=publickey',
        // The client refuses DSA and SHA-1 RSA too unless told otherwise; the target decides.
        '-o',
        'PubkeyAcceptedAlgorithms=+ssh-dss,ssh-rsa',
        '-i',
        identity,
      ];
    }
    argv.push('--', `${options.user}@${host}`, options.command ?? 'true');
    return await spawnWithTimeout(argv, env, options.timeoutMs ?? 20_000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function spawnWithTimeout(argv: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const [cmd, ...args] = argv;
    const child = spawn(cmd!, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (d: Buffer) => out.push(d));
    child.stderr.on('data', (d: Buffer) => err.push(d));
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.once('error', (e) => {
      clearTimeout(timer);
      reject(e);
    });
    child.once('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout: Buffer.concat(out).toString('utf8'), stderr: Buffer.concat(err).toString('utf8') });
    });
  });
}
