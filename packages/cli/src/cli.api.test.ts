import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generate as generateTotp } from 'otplib';
import { parse as parseYaml } from 'yaml';
import { createPassman, type PassmanClient } from '@passman/sdk';
import { reserveClosedPort, startSshTarget, type SshTarget } from '@passman/testkit';
import { createUser, type TestUser } from '../../../apps/api/src/test/harness.js';
import { startPassmanOverHttps, type PassmanOverHttps } from '../../sdk/src/test/passman-https.js';

const ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const BIN = join(ROOT, 'packages/cli/dist/main.js');
const execFileAsync = promisify(execFile);

let server: PassmanOverHttps;
let target: SshTarget;
let operator: TestUser;
let pm: PassmanClient;
let token: string;
let targetName: string;
let targetId: string;
let dir: string;

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** Runs the built `passman` as a pipeline would: no TTY, settings in the environment. */
async function passman(args: string[], env: Record<string, string> = {}): Promise<Run> {
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

const newPassword = () => `Pw-${randomBytes(9).toString('base64url')}!`;

async function account(options: { stale?: boolean } = {}) {
  return (await accountWithUser(options)).reference;
}

async function accountWithUser(options: { stale?: boolean; on?: { id: string; name: string } } = {}) {
  const name = `cli${randomBytes(4).toString('hex')}`;
  const password = newPassword();
  const on = options.on ?? { id: targetId, name: targetName };
  await target.addUsers([{ name, password }]);
  const made = await pm.accounts.create({ body: { targetId: on.id, username: name } });
  await pm.credentials.create({ params: { id: made.id }, body: { type: 'PASSWORD', value: options.stale ? `${password}-old` : password } });
  return { reference: `${on.name}/${name}`, name, password, id: made.id };
}

/** Another PassMan target for the same sshd, with its host key pinned: its accounts are only the test's own. */
async function freshTarget() {
  const made = await pm.targets.create({ body: { name: `cli-${randomBytes(4).toString('hex')}`, address: target.host, port: target.port } });
  const scanned = await pm.hostKeys.scan({ params: { id: made.id } });
  await pm.hostKeys.approve({ params: { id: made.id }, body: { fingerprint: scanned.fingerprint } });
  return { id: made.id, name: made.name };
}

/** A shell pipeline with the CLI's settings in its environment (`$PASSMAN` runs the CLI). */
async function shell(script: string, env: Record<string, string> = {}): Promise<Run> {
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
function sshLogin(user: string): string {
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

describe('passman check --wait: the exit code says the outcome, one line says why', () => {
  it('0 when InSync', async () => {
    const name = await account();
    expect(await passman(['check', '--wait', name])).toEqual({ code: 0, stdout: `InSync: ${name}\n`, stderr: '' });
  });

  it('1 when NotInSync, with the reason', async () => {
    const name = await account({ stale: true });
    expect(await passman(['check', '--wait', name])).toEqual({ code: 1, stdout: `NotInSync: ${name} (AUTH_REJECTED)\n`, stderr: '' });
    const json = await passman(['check', '--wait', '-o', 'json', name]);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ account: name, status: 'NotInSync', reason: 'AUTH_REJECTED' });
  });

  it('2 on a usage error: no account named, an account that is not there, a token offered as an argument', async () => {
    expect(await passman(['check', '--wait'])).toMatchObject({ code: 2, stderr: expect.stringContaining("missing required argument 'account'") });
    const missing = await passman(['check', '--wait', `${targetName}/nobody`]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^passman: no account "nobody" on .* \(NOT_FOUND\)\n$/);
    const argv = await passman(['check', '--token', 'pm_secret_in_argv', `${targetName}/x`]);
    expect(argv.code).toBe(2);
    expect(argv.stderr).toContain("unknown option '--token'");
    expect(argv.stderr).not.toContain('pm_secret_in_argv');
  });

  it('3 on an authentication or permission error', async () => {
    const name = await account();
    const bad = await passman(['check', '--wait', name], { PASSMAN_TOKEN: `${token}x` });
    expect(bad).toMatchObject({ code: 3, stdout: '' });
    expect(bad.stderr).toMatch(/^passman: not authenticated: .*\(UNAUTHENTICATED\)\n$/);
    expect(await passman(['check', name], { PASSMAN_TOKEN: '' })).toMatchObject({ code: 3, stderr: expect.stringContaining('set PASSMAN_TOKEN') });

    const session = createPassman({ url: server.url, tls: { fingerprint256: server.fingerprint256 } });
    await session.login({ username: operator.username, password: operator.password });
    const viewOnly = (await session.tokens.create({ body: { name: 'cli-view', scopes: ['accounts.view', 'targets.view'] } })).token;
    await session.close();
    const refused = await passman(['check', '--wait', name], { PASSMAN_TOKEN: viewOnly });
    expect(refused).toMatchObject({ code: 3, stdout: '' });
    expect(refused.stderr).toMatch(/^passman: not allowed: .*\(FORBIDDEN\)\n$/);
  });

  it('4 when PassMan is unreachable, or its certificate is not the pinned one', async () => {
    const closed = await reserveClosedPort();
    try {
      const down = await passman(['check', '--wait', `${targetName}/x`], { PASSMAN_URL: `https://${closed.host}:${closed.port}` });
      expect(down).toEqual({ code: 4, stdout: '', stderr: 'passman: PassMan could not be reached (ECONNREFUSED) (NETWORK_ERROR)\n' });
    } finally {
      closed.release();
    }
    const wrong = server.fingerprint256.replace(/^../, (first) => (first === 'AA' ? 'BB' : 'AA'));
    const pinned = await passman(['whoami'], { PASSMAN_FINGERPRINT: wrong });
    expect(pinned).toMatchObject({ code: 4, stderr: expect.stringContaining('TLS_FINGERPRINT_MISMATCH') });
  });
});

describe('passman whoami', () => {
  it('names the token’s user; the token may come from a file', async () => {
    expect(await passman(['whoami'])).toEqual({ code: 0, stdout: `${operator.username} (operator)\n`, stderr: '' });
    const file = join(dir, 'token');
    writeFileSync(file, `${token}\n`, { mode: 0o600 });
    expect(await passman(['whoami', '--token-file', file], { PASSMAN_TOKEN: '' })).toMatchObject({ code: 0, stdout: `${operator.username} (operator)\n` });
  });
});

describe('passman checkout and reset', () => {
  it('checkout --field password writes the bare secret, which sshpass -d reads to log in with OpenSSH', async () => {
    const { reference, name, password } = await accountWithUser();
    const bare = await passman(['checkout', '--field', 'password', '--reason', 'cli test', reference]);
    expect(bare).toEqual({ code: 0, stdout: password, stderr: '' });
    await passman(['checkin', reference]);

    const piped = await shell(`$PASSMAN checkout --field password "${reference}" | ${sshLogin(name)}`);
    expect(piped).toMatchObject({ code: 0, stderr: '' });
    // The same pipeline with a wrong secret fails, so the login above proves the secret.
    expect((await shell(`printf wrong | ${sshLogin(name)}`)).code).not.toBe(0);
  });

  it('never prints a secret to a terminal unless --reveal, and then does not check out at all', async () => {
    const { reference, password } = await accountWithUser();
    // `script` gives the CLI a terminal as stdout.
    const onTty = await shell(`script -qec "$PASSMAN checkout --field password ${reference}" /dev/null`);
    expect(onTty.code).toBe(2);
    expect(onTty.stdout).toContain('refusing to print a secret to a terminal');
    expect(onTty.stdout).not.toContain(password);
    const id = (await pm.findAccount(reference)).id;
    expect((await pm.accounts.get({ params: { id } })).checkout ?? null).toBeNull();

    const revealed = await shell(`script -qec "$PASSMAN checkout --reveal --field password ${reference}" /dev/null`);
    expect(revealed.code).toBe(0);
    expect(revealed.stdout).toContain(password);
    // A checkout does show on the account, so the check above could fail.
    expect((await pm.accounts.get({ params: { id } })).checkout).not.toBeNull();
  });

  it('reset --generate --wait: the new password logs in with OpenSSH, the old one does not', async () => {
    const { reference, name, password } = await accountWithUser();
    expect(await passman(['reset', '--generate', '--wait', reference])).toEqual({ code: 0, stdout: `reset: ${reference}\n`, stderr: '' });
    expect((await shell(`$PASSMAN checkout --field password "${reference}" | ${sshLogin(name)}`)).code).toBe(0);
    expect((await shell(`printf '%s' "$OLD" | ${sshLogin(name)}`, { OLD: password })).code).not.toBe(0);
  });

  it('reset --stdin takes the new secret from the pipe only; no flag, or both, is a usage error', async () => {
    const { reference, name } = await accountWithUser();
    const typed = newPassword();
    const reset = await shell(`printf '%s\n' "$NEW" | $PASSMAN reset --stdin --wait "${reference}"`, { NEW: typed });
    expect(reset).toEqual({ code: 0, stdout: `reset: ${reference}\n`, stderr: '' });
    expect((await shell(`printf '%s' "$NEW" | ${sshLogin(name)}`, { NEW: typed })).code).toBe(0);

    expect(await passman(['reset', reference])).toMatchObject({ code: 2, stderr: 'passman: give exactly one of --generate and --stdin\n' });
    expect(await passman(['reset', '--generate', '--stdin', reference])).toMatchObject({ code: 2 });
  });
});

describe('passman lists, jobs and batches', () => {
  it('accounts list and show, targets list: a table for people, JSON for programs', async () => {
    const on = await freshTarget();
    const first = await accountWithUser({ on });
    const second = await accountWithUser({ on });
    const listed = await passman(['accounts', 'list', '--target', on.name]);
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ACCOUNT +STATUS +REASON$/);
    expect(listed.stdout).toContain(first.reference);
    expect(listed.stdout).toContain(second.reference);
    const json = await passman(['-o', 'json', 'accounts', 'list', '--target', on.name]);
    expect((JSON.parse(json.stdout) as { id: string }[]).map((a) => a.id).sort()).toEqual([first.id, second.id].sort());
    expect((await passman(['accounts', 'show', first.reference])).stdout).toContain(`id:           ${first.id}\n`);
    expect((await passman(['targets', 'list', '--q', on.name])).stdout).toContain(`${on.name}  ${target.host}`);
  });

  it('import --dry-run says per row what would happen and changes nothing; the real run imports once; -o yaml for programs', async () => {
    const folder = await pm.folders.create({ body: { name: `cli-import-${randomBytes(4).toString('hex')}` } });
    const host = `imp-${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${host}.csv`);
    const rows = [
      'Target_type,Target,Account,Password,Group_path,Description,URL',
      `ssh,${host},alice,${newPassword()},,,`,
      `ssh,${host},bob,${newPassword()},,,`,
    ];
    writeFileSync(file, `${[...rows, `telnet,${host}-old,carol,${newPassword()},,,`].join('\n')}\n`);

    const dry = await passman(['import', '--dry-run', '--folder', folder.id, file]);
    expect([dry.code, dry.stderr]).toEqual([1, '']); // a row would be skipped
    expect(dry.stdout.split('\n')[0]).toMatch(/^ROW +OUTCOME +TARGET +ACCOUNT +GROUP_PATH +REASON$/);
    expect(dry.stdout).toMatch(new RegExp(`\\bcreate +${host} +alice\\b`));
    expect(dry.stdout).toMatch(new RegExp(`\\bskip +${host}-old +carol\\b`));
    expect(dry.stdout).toContain('dry run, nothing changed');
    expect((await pm.targets.list({ query: { q: host } })).items).toEqual([]);

    writeFileSync(file, `${rows.join('\n')}\n`);
    const real = await passman(['-o', 'yaml', 'import', '--folder', folder.id, file]);
    expect([real.code, real.stderr]).toEqual([0, '']);
    const result = parseYaml(real.stdout) as { state: string; counts: { create: number }; rows: unknown[] };
    expect(result.state).toBe('succeeded');
    expect(result.counts).toMatchObject({ create: 2, skip: 0, failed: 0 });
    expect(result.rows).toEqual([]); // a real run lists the rows that did not go in
    const again = await passman(['-o', 'json', 'import', '--folder', folder.id, file]);
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { counts: { create: number; unchanged: number } }).counts).toMatchObject({ create: 0, unchanged: 2 });
    const listed = await passman(['accounts', 'list', '--target', host]);
    expect(listed.stdout).toContain(`${host}/alice`);
    expect(listed.stdout).toContain(`${host}/bob`);
    // Secrets only from a file or stdin: a KeePass password is never an argument.
    expect((await passman(['import', '--kdbx-password', 'x', file])).code).toBe(2);
  });

  it('import on a terminal draws its progress as a bar on one line', async () => {
    const folder = await pm.folders.create({ body: { name: `cli-import-${randomBytes(4).toString('hex')}` } });
    const host = `imp-${randomBytes(4).toString('hex')}`;
    const file = join(dir, `${host}.csv`);
    writeFileSync(file, `Target_type,Target,Account,Password\nssh,${host},dave,${newPassword()}\n`);
    // `script` gives the CLI a terminal as stdout.
    const onTty = await shell(`script -qec "$PASSMAN import --folder ${folder.id} ${file}" /dev/null`);
    expect(onTty.code).toBe(0);
    expect(onTty.stdout).toMatch(/\r\[#{30}\] import [\w-]+: 1\/1 rows \(1 create/);
  });

  it('jobs watch follows a job to its end, a line per change', async () => {
    const { id } = await accountWithUser();
    const job = await pm.jobs.check({ params: { id } });
    const watched = await passman(['jobs', 'watch', job.id]);
    expect(watched.code).toBe(0);
    expect(watched.stdout.trimEnd().split('\n').at(-1)).toMatch(new RegExp(`^job ${job.id} CHECK .*: succeeded`));
  });

  it('batch check --wait on a pipe: plain progress lines, exit 0 when every account is InSync, 1 when one is not', async () => {
    const clean = await freshTarget();
    await accountWithUser({ on: clean });
    await accountWithUser({ on: clean });
    const ok = await passman(['batch', 'check', '--target', clean.name, '--wait']);
    expect(ok.code).toBe(0);
    const lines = ok.stdout.trimEnd().split('\n');
    expect(lines.every((line) => /^batch [0-9a-f-]+: \d+\/2 settled \(\d+ succeeded, \d+ failed, \d+ unverified\)$/.test(line))).toBe(true);
    expect(lines.at(-1)).toMatch(/: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)$/);
    expect(ok.stdout).not.toContain('\r');

    const mixed = await freshTarget();
    await accountWithUser({ on: mixed });
    const stale = await accountWithUser({ on: mixed, stale: true });
    const notClean = await passman(['batch', 'check', '--target', mixed.name, '--wait']);
    expect(notClean.code).toBe(1);
    expect(notClean.stdout.trimEnd().split('\n').slice(-2)).toEqual([
      expect.stringMatching(/: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)$/),
      `NotInSync: ${stale.reference} (AUTH_REJECTED)`,
    ]);
    const statuses = await passman(['-o', 'json', 'accounts', 'list', '--target', mixed.name, '--status', 'NotInSync']);
    expect((JSON.parse(statuses.stdout) as { id: string }[]).map((a) => a.id)).toEqual([stale.id]);

    expect(await passman(['batch', 'check', '--wait'])).toMatchObject({ code: 2, stderr: 'passman: name the accounts: --target, --folder, --status or --q\n' });
  });

  it('batch reset --wait: every account gets a new password on the host, which OpenSSH proves; the old ones no longer log in', async () => {
    const on = await freshTarget();
    const accounts = [await accountWithUser({ on }), await accountWithUser({ on })];
    const reset = await passman(['batch', 'reset', '--target', on.name, '--wait']);
    expect([reset.code, reset.stderr]).toEqual([0, '']);
    expect(reset.stdout.trimEnd().split('\n').at(-1)).toMatch(/: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)$/);
    for (const account of accounts) {
      expect((await shell(`$PASSMAN checkout --field password ${account.reference} | ${sshLogin(account.name)}`)).code).toBe(0);
      await passman(['checkin', account.reference]);
      expect((await shell(`printf '%s' "$OLD" | ${sshLogin(account.name)}`, { OLD: account.password })).code).not.toBe(0);
    }
  });

  it('batch check --wait on a terminal: one line redrawn as a bar, ending full', async () => {
    const on = await freshTarget();
    await accountWithUser({ on });
    await accountWithUser({ on });
    const onTty = await shell(`script -qec "$PASSMAN batch check --target ${on.name} --wait" /dev/null`);
    expect(onTty.code).toBe(0);
    expect(onTty.stdout).toMatch(/\r\[#{30}\] batch [0-9a-f-]+: 2\/2 settled \(2 succeeded, 0 failed, 0 unverified\)/);
  });
});

describe('passman login and logout', () => {
  it('keeps a token in a profile only its owner can read, used when nothing else is set; logout revokes it', async () => {
    const profile = join(dir, 'profile');
    const login = await shell(
      `printf '%s\n' "$PW" | $PASSMAN login --url "${server.url}" --fingerprint "${server.fingerprint256}" --username "${operator.username}"`,
      {
        PW: operator.password,
        PASSMAN_CONFIG_DIR: profile,
        PASSMAN_URL: '',
        PASSMAN_TOKEN: '',
        PASSMAN_FINGERPRINT: '',
      },
    );
    expect(login).toMatchObject({ code: 0, stderr: '' });
    expect(login.stdout).toMatch(new RegExp(`^logged in as ${operator.username}; token kept in ${profile} until `));
    expect(statSync(profile).mode & 0o777).toBe(0o700);
    expect(statSync(join(profile, 'token')).mode & 0o777).toBe(0o600);
    expect(statSync(join(profile, 'profile.json')).mode & 0o777).toBe(0o600);

    const fromProfile = { PASSMAN_CONFIG_DIR: profile, PASSMAN_URL: '', PASSMAN_TOKEN: '', PASSMAN_FINGERPRINT: '' };
    expect(await passman(['whoami'], fromProfile)).toEqual({ code: 0, stdout: `${operator.username} (operator)\n`, stderr: '' });
    const saved = readFileSync(join(profile, 'token'), 'utf8').trim();
    expect(await passman(['logout'], fromProfile)).toMatchObject({ code: 0, stdout: 'logged out: the token is revoked\n' });
    expect(await passman(['whoami'], { PASSMAN_TOKEN: saved })).toMatchObject({ code: 3 });
    expect(await passman(['whoami'], fromProfile)).toMatchObject({ code: 2, stderr: expect.stringContaining('run passman login') });

    const wrong = await shell(
      `printf 'not-it\n' | $PASSMAN login --url "${server.url}" --fingerprint "${server.fingerprint256}" --username "${operator.username}"`,
      {
        PASSMAN_CONFIG_DIR: profile,
      },
    );
    expect(wrong).toMatchObject({ code: 3, stderr: expect.stringContaining('INVALID_CREDENTIALS') });
  });

  it('logs in a user with a second factor: the code on the line after the password; none, or a wrong one, is refused', async () => {
    const user = await createUser(server.api, 'operator');
    const session = createPassman({ url: server.url, tls: { fingerprint256: server.fingerprint256 } });
    await session.login({ username: user.username, password: user.password });
    const started = await session.mfa.startTotp({ body: {} });
    await session.mfa.confirmTotp({ params: { id: started.factorId }, body: { code: await generateTotp({ secret: started.secret }) } });
    await session.logout();
    await session.close();

    const profile = join(dir, 'profile-2fa');
    const env = { PW: user.password, PASSMAN_CONFIG_DIR: profile, PASSMAN_TOKEN: '' };
    expect(await shell(`printf '%s\n' "$PW" | $PASSMAN login --username "${user.username}"`, env)).toMatchObject({
      code: 3,
      stderr: expect.stringContaining('this user has a second factor'),
    });
    expect(await shell(`printf '%s\n000000\n' "$PW" | $PASSMAN login --username "${user.username}"`, env)).toMatchObject({ code: 3 });
    // The next period's code: the one spent on the enrolment proves nothing a second time.
    const code = await generateTotp({ secret: started.secret, epoch: Math.floor(Date.now() / 1000) + 30 });
    const ok = await shell(`printf '%s\n%s\n' "$PW" "$CODE" | $PASSMAN login --username "${user.username}"`, { ...env, CODE: code });
    expect(ok).toMatchObject({ code: 0, stderr: '' });
    expect(await passman(['whoami'], { PASSMAN_CONFIG_DIR: profile, PASSMAN_TOKEN: '' })).toMatchObject({ code: 0, stdout: `${user.username} (operator)\n` });
  });
});

describe('passman targets, accounts add and audit verify', () => {
  it('registers a target, pins its host key, adds an account with its password piped, and checks it', async () => {
    const name = `cli-new-${randomBytes(4).toString('hex')}`;
    expect(await passman(['targets', 'add', name, target.host, '--port', String(target.port)])).toMatchObject({
      code: 0,
      stdout: expect.stringMatching(new RegExp(`^added target ${name} `)),
    });
    const scanned = await passman(['targets', 'scan', name]);
    const fingerprint = scanned.stdout.split(' ')[1]!;
    expect(target.fingerprints).toContain(fingerprint);
    expect(await passman(['targets', 'approve', name, fingerprint])).toMatchObject({ code: 0, stdout: `pinned ${fingerprint} for ${name}\n` });

    const user = `cli${randomBytes(4).toString('hex')}`;
    const password = newPassword();
    await target.addUsers([{ name: user, password }]);
    const added = await shell(`printf '%s\n' "$PW" | $PASSMAN accounts add --stdin "${name}/${user}"`, { PW: password });
    expect(added).toMatchObject({ code: 0, stdout: expect.stringMatching(new RegExp(`^added account ${name}/${user} `)) });
    expect(await passman(['check', '--wait', `${name}/${user}`])).toEqual({ code: 0, stdout: `InSync: ${name}/${user}\n`, stderr: '' });
  });

  it('audit verify: exit 0 on the intact chain, 3 for a user who may not read it', async () => {
    const admin = await createUser(server.api, 'admin');
    const session = createPassman({ url: server.url, tls: { fingerprint256: server.fingerprint256 } });
    await session.login({ username: admin.username, password: admin.password });
    const adminToken = (await session.tokens.create({ body: { name: 'cli-audit', scopes: ['audit.view'] } })).token;
    await session.close();
    const verified = await passman(['audit', 'verify'], { PASSMAN_TOKEN: adminToken });
    expect(verified).toMatchObject({ code: 0, stdout: expect.stringMatching(/^audit chain intact: \d+ events\n$/) });
    expect(await passman(['audit', 'verify'])).toMatchObject({ code: 3 });
  });
});
