import { randomUUID } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { generate as generateTotp } from 'otplib';
import { createPassman } from '@passman/sdk';
import { reserveClosedPort } from '@passman/testkit';
import { createUser } from '../../../apps/api/src/test/harness.js';
import {
  account,
  accountWithUser,
  dir,
  jobIdIn,
  newPassword,
  operator,
  passman,
  pm,
  resetLeftUnknown,
  server,
  shell,
  sshLogin,
  targetName,
  token,
  useCliWorld,
} from './test/cli-world.js';

// The built `passman` against a real PassMan and sshd: the CI exit codes, secrets in and out, login.
useCliWorld();

describe('passman check --wait: the exit code says the outcome, one line says why and names the job', () => {
  it('0 when InSync', async () => {
    const name = await account();
    const checked = await passman(['check', '--wait', name]);
    const job = await pm.jobs.get({ params: { id: jobIdIn(checked.stdout) } });
    expect(checked).toEqual({ code: 0, stdout: `InSync: ${name} (job ${job.id})\n`, stderr: '' });
    expect([job.kind, job.state, `${job.account.targetName}/${job.account.username}`]).toEqual(['CHECK', 'succeeded', name]);
  });

  it('1 when NotInSync, with the reason', async () => {
    const name = await account({ stale: true });
    const checked = await passman(['check', '--wait', name]);
    const job = await pm.jobs.get({ params: { id: jobIdIn(checked.stdout) } });
    expect(checked).toEqual({ code: 1, stdout: `NotInSync: ${name} (AUTH_REJECTED, job ${job.id})\n`, stderr: '' });
    expect(`${job.account.targetName}/${job.account.username}`).toBe(name);
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

  it('reset --generate --wait: the new password logs in with OpenSSH, the old one does not; the result names the job', async () => {
    const { reference, name, password, id } = await accountWithUser();
    const reset = await passman(['reset', '--generate', '--wait', reference]);
    const job = await pm.jobs.get({ params: { id: jobIdIn(reset.stdout) } });
    expect(reset).toEqual({ code: 0, stdout: `reset: ${reference} (job ${job.id})\n`, stderr: '' });
    expect(job).toMatchObject({ kind: 'RESET', state: 'succeeded', account: { id } });
    expect((await shell(`$PASSMAN checkout --field password "${reference}" | ${sshLogin(name)}`)).code).toBe(0);
    expect((await shell(`printf '%s' "$OLD" | ${sshLogin(name)}`, { OLD: password })).code).not.toBe(0);
  });

  it('reset --wait that fails names the job too, so the failure can be looked into', async () => {
    const { reference, id } = await accountWithUser({ stale: true });
    const reset = await passman(['reset', '--generate', '--wait', reference]);
    const job = await pm.jobs.get({ params: { id: jobIdIn(reset.stdout) } });
    expect(reset).toEqual({ code: 1, stdout: `reset failed: ${reference} (AUTH_REJECTED, job ${job.id})\n`, stderr: '' });
    expect(job).toMatchObject({ kind: 'RESET', state: 'failed', errorCode: 'AUTH_REJECTED', account: { id } });
  });

  it('reset --stdin takes the new secret from the pipe only; no flag, or both, is a usage error', async () => {
    const { reference, name } = await accountWithUser();
    const typed = newPassword();
    const reset = await shell(`printf '%s\n' "$NEW" | $PASSMAN reset --stdin --wait "${reference}"`, { NEW: typed });
    expect(reset).toEqual({ code: 0, stdout: `reset: ${reference} (job ${jobIdIn(reset.stdout)})\n`, stderr: '' });
    expect((await shell(`printf '%s' "$NEW" | ${sshLogin(name)}`, { NEW: typed })).code).toBe(0);

    expect(await passman(['reset', reference])).toMatchObject({ code: 2, stderr: 'passman: give exactly one of --generate and --stdin\n' });
    expect(await passman(['reset', '--generate', '--stdin', reference])).toMatchObject({ code: 2 });
  });
});

describe('passman checkout --pending and jobs confirm-outcome: settling a reset whose outcome is unknown', () => {
  it('checkout --pending reveals the new secret (which logs in), confirm-outcome new makes it current; a check then proves it', async () => {
    const { reference, name, password, jobId } = await resetLeftUnknown();
    const unsettled = await passman(['check', '--wait', reference]);
    expect(unsettled).toMatchObject({ code: 1, stdout: `NotInSync: ${reference} (AUTH_REJECTED, job ${jobIdIn(unsettled.stdout)})\n` });

    const pending = await passman(['checkout', '--pending', '--field', 'password', '--reason', 'which one works?', reference]);
    expect(pending).toMatchObject({ code: 0, stderr: '' });
    expect(pending.stdout).not.toBe(password);
    await passman(['checkin', reference]);
    expect((await shell(`$PASSMAN checkout --pending --field password "${reference}" | ${sshLogin(name)}`)).code).toBe(0);
    await passman(['checkin', reference]);
    const described = await passman(['checkout', '--pending', reference]);
    expect(described).toMatchObject({ code: 0, stdout: expect.stringMatching(/^checked out .*: PASSWORD version 2 \(pending: the unconfirmed new secret\)/) });
    expect(described.stdout).not.toContain(pending.stdout);
    await passman(['checkin', reference]);

    const confirmed = await passman(['jobs', 'confirm-outcome', jobId, '--target-holds', 'new', '--reason', 'logged in with the new password']);
    expect(confirmed).toEqual({
      code: 0,
      stdout:
        `confirmed: ${reference} holds the new secret (version 2 current); job ${jobId} succeeded\n` +
        `${reference} is Unknown (NOT_CHECKED) until a check proves it: passman check --wait ${reference}\n`,
      stderr: '',
    });
    const settled = await pm.jobs.get({ params: { id: jobId } });
    expect(settled).toMatchObject({ state: 'succeeded' });
    const event = await server.api.db.auditEvent.findFirstOrThrow({
      where: { action: 'credential.reset.confirmed', details: { path: ['jobId'], equals: jobId } },
    });
    expect(event.details).toMatchObject({ targetHolds: 'NEW', reason: 'logged in with the new password' });
    const proved = await passman(['check', '--wait', reference]);
    expect(proved).toEqual({ code: 0, stdout: `InSync: ${reference} (job ${jobIdIn(proved.stdout)})\n`, stderr: '' });
    expect(await passman(['checkout', '--field', 'password', reference])).toMatchObject({ code: 0, stdout: pending.stdout });
  });

  it('-o json prints the settlement; previous keeps the old secret current', async () => {
    const { reference, password, jobId } = await resetLeftUnknown();
    const json = await passman(['-o', 'json', 'jobs', 'confirm-outcome', jobId, '--target-holds', 'previous']);
    expect([json.code, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout)).toMatchObject({
      targetHolds: 'PREVIOUS',
      currentVersion: 1,
      job: { id: jobId, state: 'failed', errorCode: 'TARGET_KEPT_PREVIOUS' },
      account: { status: 'Unknown' },
    });
    expect(await passman(['checkout', '--field', 'password', reference])).toMatchObject({ code: 0, stdout: password });
  });

  it('a job with nothing to confirm, or an account with no pending secret, is a clear error (exit 5); a bad --target-holds is a usage error', async () => {
    const { reference, jobId } = await resetLeftUnknown();
    await passman(['jobs', 'confirm-outcome', jobId, '--target-holds', 'new']);
    const again = await passman(['jobs', 'confirm-outcome', jobId, '--target-holds', 'previous']);
    expect(again).toMatchObject({ code: 5, stdout: '' });
    expect(again.stderr).toMatch(/^passman: This job is not a reset whose outcome is unknown .*\(CONFLICT: NOT_AWAITING_CONFIRMATION\)\n$/);
    const none = await passman(['checkout', '--pending', '--field', 'password', reference]);
    expect(none).toMatchObject({ code: 5, stdout: '', stderr: expect.stringContaining('(CONFLICT: NOT_AWAITING_CONFIRMATION)') });

    const bad = await passman(['jobs', 'confirm-outcome', jobId, '--target-holds', 'NEWEST']);
    expect(bad).toMatchObject({ code: 2, stdout: '' });
    expect(bad.stderr).toContain("option '--target-holds <secret>' argument 'NEWEST' is invalid. Allowed choices are new, previous.");
    expect(await passman(['jobs', 'confirm-outcome', jobId])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining("required option '--target-holds <secret>' not specified"),
    });
    expect(await passman(['jobs', 'confirm-outcome', randomUUID(), '--target-holds', 'new'])).toMatchObject({
      code: 2,
      stderr: expect.stringContaining('(NOT_FOUND)'),
    });
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
