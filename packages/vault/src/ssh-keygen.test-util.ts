// Test-only helpers around OpenSSH's ssh-keygen (excluded from the build).
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const SSH_KEYGEN = '/usr/bin/ssh-keygen';

export function run(file: string, args: string[]): Promise<{ stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = execFile(file, args, { timeout: 60_000 }, (error, stdout, stderr) => {
      if (error) reject(Object.assign(error, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
    child.stdin?.end(); // never let ssh-keygen wait for a passphrase on stdin
  });
}

export async function makeTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'passman-vault-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes a private key with mode 0600 (ssh-keygen refuses group/world-readable keys). */
export async function writeKeyFile(dir: string, name: string, content: string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, content, { mode: 0o600 });
  return path;
}

/** `ssh-keygen -y -f`: the public key OpenSSH derives from a private key file (no passphrase). */
export async function publicKeyFromFile(path: string): Promise<string> {
  const { stdout } = await run(SSH_KEYGEN, ['-y', '-P', '', '-f', path]);
  return stdout.trim();
}

/** `ssh-keygen -lf`: `{ bits, fingerprint, type }` as OpenSSH prints them. */
export async function fingerprintFromFile(path: string): Promise<{ bits: number; fingerprint: string; type: string }> {
  const { stdout } = await run(SSH_KEYGEN, ['-l', '-E', 'sha256', '-f', path]);
  const match = /^(\d+) (SHA256:\S+) .*\((\S+)\)\s*$/.exec(stdout.trim());
  if (!match) throw new Error(`unexpected ssh-keygen -l output: ${stdout}`);
  return { bits: Number(match[1]), fingerprint: match[2] as string, type: match[3] as string };
}

/** Generates a key with ssh-keygen; returns its private key text. */
export async function sshKeygenGenerate(
  dir: string,
  name: string,
  args: { type: string; bits?: number; passphrase?: string; pem?: boolean; comment?: string; extra?: string[] },
): Promise<{ path: string; text: string }> {
  const path = join(dir, name);
  const argv = ['-q', '-t', args.type, '-N', args.passphrase ?? '', '-C', args.comment ?? '', '-f', path];
  if (args.bits) argv.push('-b', String(args.bits));
  if (args.pem) argv.push('-m', 'PEM');
  if (args.extra) argv.push(...args.extra);
  await run(SSH_KEYGEN, argv);
  return { path, text: await readFile(path, 'utf8') };
}

/** The `<type> <base64>` part of a public key line, without the comment. */
export function keyPart(line: string): string {
  return line.trim().split(/\s+/).slice(0, 2).join(' ');
}
