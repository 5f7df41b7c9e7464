// The world the CLI's API tests share: its bindings are filled in by useCliWorld's beforeAll.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, expect } from '@jest/globals';
import { createPassman, OUTCOME_UNKNOWN, type PassmanClient } from '@passman/sdk';
import { startSshTarget, type SshTarget } from '@passman/testkit';
import { createUser, type TestUser } from '../../../../apps/api/src/test/harness.js';
import { startPassmanOverHttps, type PassmanOverHttps } from '../../../sdk/src/test/passman-https.js';

const ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/main.js');
const execFileAsync = promisify(execFile);

export let server: PassmanOverHttps;
export let target: SshTarget;
export let operator: TestUser;
export let pm: PassmanClient;
export let token: string;
export let targetName: string;
export let targetId: string;
export let dir: string;

export interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `passman` as a pipeline would: no TTY, settings in the environment. */
export async function passman(args: string[], env: Record<string, string> = {}): Promise<Run> {
  const base = {
    PATH: process.env.PATH ?? '',
    // An empty profile directory: a profile of this machine's user never stands in for the test's settings.
    PASSMAN_CONFIG_DIR: join(dir, 'no-profile'),
    PASSMAN_URL: server.url,
    PASSMAN_FINGERPRINT: server.fingerprint256,
    PASSMAN_TOKEN: token,
  };
  try {
    const { stdout, stderr } = await execFileAsync(process.execPath, [BIN, ...args], { env: { ...base, ...env } });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code: number; stdout: string; stderr: string };
    return { code: failed.code, stdout: failed.stdout, stderr: failed.stderr };
  }
}

export const newPassword = () => `Pw-${randomBytes(9).toString('base64url')}!`;

export async function account(options: { stale?: boolean } = {}) {
  return (await accountWithUser(options)).reference;
}

export async function accountWithUser(options: { stale?: boolean; on?: { id: string; name: string } } = {}) {
  const name = `cli${randomBytes(4).toString('hex')}`;
  const password = newPassword();
  const on = options.on ?? { id: targetId, name: targetName };
  await target.addUsers([{ name, password }]);
  const made = await pm.accounts.create({ body: { targetId: on.id, username: name } });
  await pm.credentials.create({ params: { id: made.id }, body: { type: 'PASSWORD', value: options.stale ? `${password}-old` : password } });
  return { reference: `${on.name}/${name}`, name, password, id: made.id };
}

/** Another PassMan target for the same sshd, with its host key pinned: its accounts are only the test's own. */
export async function freshTarget() {
  const made = await pm.targets.create({ body: { name: `cli-${randomBytes(4).toString('hex')}`, address: target.host, port: target.port } });
  const scanned = await pm.hostKeys.scan({ params: { id: made.id } });
  await pm.hostKeys.approve({ params: { id: made.id }, body: { fingerprint: scanned.fingerprint } });
  return { id: made.id, name: made.name };
}

/**
 * A password reset the target took, left as the worker leaves one when neither secret logs in
 * (reset-runner.ts `recover`): unverified OUTCOME_UNKNOWN, the new version PENDING beside the
 * CURRENT previous one, the account NotInSync. The target holds the new password.
 */
export async function resetLeftUnknown() {
  const made = await accountWithUser();
  const queued = await pm.jobs.reset({ params: { id: made.id }, body: { credentialType: 'PASSWORD', generate: true } });
  const done = await pm.waitForJob(queued.id, { timeoutMs: 60_000 });
  expect(done.state).toBe('succeeded');
  const db = server.api.db;
  const [previous, fresh] = await db.credentialVersion.findMany({ where: { credentialId: done.credentialId! }, orderBy: { version: 'asc' } });
  await db.credentialVersion.update({ where: { id: fresh!.id }, data: { state: 'PENDING' } });
  await db.credentialVersion.update({ where: { id: previous!.id }, data: { state: 'CURRENT' } });
  await db.job.update({
    where: { id: done.id },
    data: { state: 'unverified', phase: 'applied', pendingVersionId: fresh!.id, errorCode: OUTCOME_UNKNOWN, errorMessage: 'Neither secret logs in' },
  });
  await db.account.update({ where: { id: made.id }, data: { status: 'NotInSync', statusReason: OUTCOME_UNKNOWN } });
  return { ...made, jobId: done.id };
}

/** The id of the job a result line names (`… job <id>)`), as `jobs show` and `jobs confirm-outcome` take it. */
export function jobIdIn(output: string): string {
  const id = /\bjob ([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})\)/.exec(output)?.[1];
  if (!id) throw new Error(`no job id in ${JSON.stringify(output)}`);
  return id;
}

/** A shell pipeline with the CLI's settings in its environment (`$PASSMAN` runs the CLI). */
export async function shell(script: string, env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(
      'bash',
      // --norc: bash reads ~/.bashrc when its stdin is a socket, as Node's pipes are.
      ['--norc', '--noprofile', '-o', 'pipefail', '-c', script],
      {
        env: {
          PATH: process.env.PATH ?? '',
          PASSMAN: `${process.execPath} ${BIN}`,
          PASSMAN_CONFIG_DIR: join(dir, 'no-profile'),
          PASSMAN_URL: server.url,
          PASSMAN_FINGERPRINT: server.fingerprint256,
          PASSMAN_TOKEN: token,
          ...env,
        },
      },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

/** OpenSSH's client, logging in with the password sshpass reads from its stdin: `… | ${sshLogin(user)}`. */
export function sshLogin(user: string): string {
  const knownHosts = join(dir, 'known_hosts');
  writeFileSync(knownHosts, target.hostKeys.map((key) => `[${target.host}]:${target.port} ${key.publicKey}\n`).join(''));
  const options = [
    `UserKnownHostsFile=${knownHosts}`,
    'StrictHostKeyChecking=yes',
    'PreferredAuthentications=password',
    'PubkeyAuthentication=no',
    'NumberOfPasswordPrompts=1',
  ];
  return `sshpass -d 0 ssh -F /dev/null ${options.map((o) => `-o ${o}`).join(' ')} -p ${target.port} ${user}@${target.host} true`;
}

/**
 * A real PassMan over HTTPS, a real sshd target with a pinned host key, and an operator's token:
 * what every CLI test file runs the built `passman` against. Call once at a file's top level.
 */
export function useCliWorld(): void {
  beforeAll(async () => {
    const build = execFileAsync(join(ROOT, 'node_modules/.bin/tsc'), ['-b', 'packages/cli'], { cwd: ROOT });
    [server, target] = await Promise.all([startPassmanOverHttps(), startSshTarget(), build]);
    dir = mkdtempSync(join(tmpdir(), 'passman-cli-'));
    operator = await createUser(server.api, 'operator');
    const session = createPassman({ url: server.url, tls: { fingerprint256: server.fingerprint256 } });
    await session.login({ username: operator.username, password: operator.password });
    token = (await session.tokens.create({ body: { name: 'cli-test', scopes: (await session.whoami()).permissions } })).token;
    await session.logout();
    await session.close();
    pm = createPassman({ url: server.url, token, tls: { fingerprint256: server.fingerprint256 } });
    const made = await pm.targets.create({ body: { name: `cli-${randomBytes(4).toString('hex')}`, address: target.host, port: target.port } });
    [targetId, targetName] = [made.id, made.name];
    const scanned = await pm.hostKeys.scan({ params: { id: targetId } });
    await pm.hostKeys.approve({ params: { id: targetId }, body: { fingerprint: scanned.fingerprint } });
  }, 120_000);

  afterAll(async () => {
    await pm?.close();
    await server?.close();
    await target?.stop();
    if (dir) rmSync(dir, { recursive: true, force: true });
  });
}
