import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { MAX_PASSWORD_BYTES, MAX_SSH_PRIVATE_KEY_BYTES, MAX_TARGET_USERNAME_LENGTH, PIN_MAX_DIGITS, utf8Length } from '@passman/contracts';
import { generateTestKeyPair, opensshLogin, startSshTarget, type SshTarget } from '@passman/testkit';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { accountOf, api as client, newPassword, newUser, registerAccount, registerTarget, waitForJob } from './jobs.test-util.js';

// Each input limit of the contracts at its edge: the largest value goes through end to end on
// a real sshd (OpenSSH's own client confirms what the host took), one more is refused with
// 422 before anything is stored.

let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  [pm, target] = await Promise.all([createTestApi(), startSshTarget()]);
  pm.startWorker({ leaseMs: 5_000 });
  operator = await loginAs(pm, 'operator');
  targetId = await registerTarget(operator, target);
}, 60_000);
afterAll(async () => {
  await pm?.close();
  await target?.stop();
});

const ssh = (user: string, credential: { password: string } | { privateKey: string }) => opensshLogin({ target, user, credential });

/** A user name of exactly `length` characters, unique to the test. */
const userNameOf = (length: number) => `${newUser('l')}${'x'.repeat(length)}`.slice(0, length);

/** A password of exactly `bytes` bytes of UTF-8, with 3-byte characters, ASCII and a space, so bytes are counted, not characters. */
function passwordOfBytes(bytes: number): string {
  const head = `€ ${newPassword()}`;
  const text = head + '€'.repeat(Math.floor((bytes - utf8Length(head)) / 3));
  return text + 'a'.repeat(bytes - utf8Length(text));
}

async function versionCount(accountId: string) {
  return pm.db.credentialVersion.count({ where: { credential: { accountId } } });
}

describe('target-account user names', () => {
  it(`a ${MAX_TARGET_USERNAME_LENGTH}-character account is reset on the target and logs in; one more character, or a trailing $, is refused`, async () => {
    const name = userNameOf(MAX_TARGET_USERNAME_LENGTH);
    const password = newPassword();
    await target.addUsers([{ name, password }]);
    const accountId = await registerAccount(operator, targetId, name, password);
    const fresh = newPassword();
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', newSecret: fresh }).expect(202)).body.id,
    );
    expect(job.state).toBe('succeeded');
    expect((await ssh(name, { password: fresh })).code).toBe(0);

    for (const username of [userNameOf(MAX_TARGET_USERNAME_LENGTH + 1), `${newUser('m')}$`]) {
      const res = await client(operator).post('/accounts', { targetId, username }).expect(422);
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.username']);
      expect(await pm.db.account.count({ where: { username } })).toBe(0);
      const renamed = await client(operator).patch(`/accounts/${accountId}`, { username }).expect(422);
      expect(renamed.body.code).toBe('VALIDATION_FAILED');
    }
    expect((await accountOf(pm, accountId)).username).toBe(name);
  });
});

describe(`passwords: ${MAX_PASSWORD_BYTES} bytes of UTF-8`, () => {
  it('the longest is set with the account’s own passwd and logs in with OpenSSH; one byte more is refused with 422, nothing stored', async () => {
    const name = newUser();
    const password = newPassword();
    await target.addUsers([{ name, password }]);
    const accountId = await registerAccount(operator, targetId, name, password);
    const longest = passwordOfBytes(MAX_PASSWORD_BYTES);
    expect(utf8Length(longest)).toBe(MAX_PASSWORD_BYTES);
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', newSecret: longest }).expect(202)).body.id,
    );
    expect(job).toMatchObject({ state: 'succeeded', errorCode: null });
    expect((await ssh(name, { password: longest })).code).toBe(0);
    expect((await ssh(name, { password })).code).not.toBe(0);

    const before = await versionCount(accountId);
    const jobsBefore = await pm.db.job.count({ where: { accountId } });
    for (const body of [
      { credentialType: 'PASSWORD', newSecret: passwordOfBytes(MAX_PASSWORD_BYTES + 1) },
      { credentialType: 'PASSWORD', newSecret: passwordOfBytes(MAX_PASSWORD_BYTES + 1), changeOnTarget: false, acknowledgeLossOfSync: true },
    ]) {
      const res = await client(operator).post(`/accounts/${accountId}/reset`, body).expect(422);
      expect(res.body.errors).toEqual([expect.objectContaining({ path: 'body.newSecret', message: expect.stringContaining(`${MAX_PASSWORD_BYTES} bytes`) })]);
    }
    const added = await client(operator)
      .post(`/accounts/${accountId}/credentials`, { type: 'PASSWORD', value: passwordOfBytes(MAX_PASSWORD_BYTES + 1) })
      .expect(422);
    expect(added.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.value']);
    expect([await versionCount(accountId), await pm.db.job.count({ where: { accountId } })]).toEqual([before, jobsBefore]);
  });

  it('the longest is set by the managing account’s sudo chpasswd and logs in with OpenSSH', async () => {
    const manager = newUser('m');
    const managerPassword = newPassword();
    const name = newUser();
    await target.addUsers([
      { name: manager, password: managerPassword, sudoChpasswd: true },
      { name, password: newPassword() },
    ]);
    const managed = await registerTarget(operator, target);
    const managerAccount = await registerAccount(operator, managed, manager, managerPassword);
    await client(operator).patch(`/targets/${managed}`, { managingAccountId: managerAccount }).expect(200);
    const accountId = await registerAccount(operator, managed, name, 'Stale-Password-1!');
    const longest = passwordOfBytes(MAX_PASSWORD_BYTES);
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', newSecret: longest }).expect(202)).body.id,
    );
    expect(job).toMatchObject({ state: 'succeeded', errorCode: null });
    expect(job.steps.find((s) => s.step === 'apply' && s.status === 'done')?.detail).toEqual({ via: 'sudo' });
    expect((await ssh(name, { password: longest })).code).toBe(0);
  });
});

describe(`PINs: ${PIN_MAX_DIGITS} digits`, () => {
  it('the longest is stored and checked out; one digit more is refused with 422', async () => {
    const name = newUser();
    await target.addUsers([{ name, password: newPassword() }]);
    const accountId = await registerAccount(operator, targetId, name);
    const longest = '7'.repeat(PIN_MAX_DIGITS);
    await client(operator).post(`/accounts/${accountId}/credentials`, { type: 'PIN', value: longest }).expect(201);
    const revealed = await client(operator).post(`/accounts/${accountId}/checkout`, { credentialType: 'PIN' }).expect(200);
    expect(revealed.body.secret).toBe(longest);
    await client(operator).post(`/accounts/${accountId}/checkin`).expect(200);

    const before = await versionCount(accountId);
    const tooLong = '7'.repeat(PIN_MAX_DIGITS + 1);
    expect(
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PIN', newSecret: tooLong, changeOnTarget: false }).expect(422)).body.code,
    ).toBe('VALIDATION_FAILED');
    expect((await client(operator).post(`/accounts/${accountId}/credentials`, { type: 'PIN', value: tooLong }).expect(422)).body.code).toBe(
      'VALIDATION_FAILED',
    );
    expect(await versionCount(accountId)).toBe(before);
  });
});

describe(`SSH private keys: ${MAX_SSH_PRIVATE_KEY_BYTES} bytes`, () => {
  it('a key text of the largest size is installed on the target and logs in with OpenSSH; one byte more is refused with 422', async () => {
    const name = newUser();
    const password = newPassword();
    await target.addUsers([{ name, password }]);
    const accountId = await registerAccount(operator, targetId, name, password);
    const key = await generateTestKeyPair('ssh-ed25519');
    // PEM text may carry trailing blank lines; they make the text exactly as large as allowed.
    const padded = (size: number) => key.privateKey + '\n'.repeat(size - Buffer.byteLength(key.privateKey));
    const job = await waitForJob(
      operator,
      (
        await client(operator)
          .post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', newSecret: padded(MAX_SSH_PRIVATE_KEY_BYTES) })
          .expect(202)
      ).body.id,
    );
    expect(job).toMatchObject({ state: 'succeeded', errorCode: null });
    expect((await ssh(name, { privateKey: key.privateKey })).code).toBe(0);

    const before = await versionCount(accountId);
    const res = await client(operator)
      .post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', newSecret: padded(MAX_SSH_PRIVATE_KEY_BYTES + 1) })
      .expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.newSecret']);
    const other = await generateTestKeyPair('ecdsa-sha2-nistp256');
    const tooBig = other.privateKey + '\n'.repeat(MAX_SSH_PRIVATE_KEY_BYTES + 1 - Buffer.byteLength(other.privateKey));
    expect(
      (await client(operator).post(`/accounts/${accountId}/credentials`, { type: 'SSH_KEY', privateKey: tooBig }).expect(422)).body.errors.map(
        (e: { path: string }) => e.path,
      ),
    ).toEqual(['body.privateKey']);
    expect(await versionCount(accountId)).toBe(before);
  }, 60_000);
});
