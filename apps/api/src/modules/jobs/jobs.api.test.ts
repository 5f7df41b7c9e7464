import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { generateTestKeyPair, type SshTarget } from '@passman/testkit';
import { loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { jobsHelpers, startJobsApi, stopJobsApi } from './jobs-api.test-util.js';
import { accountOf, api as client, newPassword, newUser, registerAccount, registerTarget, waitForJob } from './jobs.test-util.js';

let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  ({ pm, operator, target, targetId } = await startJobsApi());
}, 60_000);
afterAll(() => stopJobsApi({ pm, target }));

const { ssh, userWithAccount, checkout } = jobsHelpers(() => ({ pm, operator, target, targetId }));

/**
 * An account whose stored password is stale, on a registration of the target whose managing
 * account has the given sudo rights: only the managing account can reset it.
 */
async function accountWithStalePassword(sudo: { sudoChpasswd: true } | { sudoAsUsers: true }) {
  const manager = newUser('m');
  const managerPassword = newPassword();
  await target.addUsers([{ name: manager, password: managerPassword, ...sudo }]);
  const managedTarget = await registerTarget(operator, target);
  const managerAccount = await registerAccount(operator, managedTarget, manager, managerPassword);
  await client(operator).patch(`/targets/${managedTarget}`, { managingAccountId: managerAccount }).expect(200);
  const name = newUser();
  await target.addUsers([{ name, password: newPassword() }]);
  return { name, accountId: await registerAccount(operator, managedTarget, name, 'Stale-Password-1!') };
}

describe('Check', () => {
  it('answers per credential; InSync when all work, NotInSync with the reason when one does not', async () => {
    const { accountId, name } = await userWithAccount();
    const check = await client(operator).post(`/accounts/${accountId}/check`).expect(202);
    const job = await waitForJob(operator, check.body.id);
    expect(job).toMatchObject({ kind: 'CHECK', state: 'succeeded', results: [{ type: 'PASSWORD', ok: true, code: null }] });
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'InSync', statusReason: null });

    // The password changes behind PassMan's back: the next check says so.
    await target.run(['chpasswd'], `${name}:${newPassword()}\n`);
    const again = await waitForJob(operator, (await client(operator).post(`/accounts/${accountId}/check`).expect(202)).body.id);
    expect(again.results).toEqual([expect.objectContaining({ ok: false, code: 'AUTH_REJECTED' })]);
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'NotInSync', statusReason: 'AUTH_REJECTED' });
  });

  it('sends no credential to a target whose host key is not approved, and records the key for approval', async () => {
    const unapproved = await registerTarget(operator, target, { approve: false });
    const name = newUser();
    const password = newPassword();
    await target.addUsers([{ name, password }]);
    const accountId = await registerAccount(operator, unapproved, name, password);
    const mark = target.log.mark();
    const job = await waitForJob(operator, (await client(operator).post(`/accounts/${accountId}/check`).expect(202)).body.id);
    expect(job).toMatchObject({ state: 'failed', errorCode: 'HOST_KEY_UNPINNED' });
    expect(target.log.since(mark)).not.toContain(`password for ${name}`);
    const targetRow = await client(operator).get(`/targets/${unapproved}`).expect(200);
    expect(targetRow.body.hostKeys).toEqual([expect.objectContaining({ status: 'PENDING', fingerprint: target.fingerprints[0] })]);
  });
});

describe('Reset Credentials with Change on target', () => {
  it('Generate and Save: the new password works on the target (OpenSSH proves it), the old is refused, CheckOut shows the new one', async () => {
    const { accountId, name, password } = await userWithAccount();
    const other = await userWithAccount();
    const shadowBefore = (await target.readShadow()).get(other.name);
    const res = await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: true }).expect(202);
    // The worker may already have claimed it when the answer is written: queued or running, never settled yet.
    expect(res.body.kind).toBe('RESET');
    expect(['queued', 'running']).toContain(res.body.state);
    const job = await waitForJob(operator, res.body.id);
    expect(job.state).toBe('succeeded');
    expect(job.steps.map((s) => `${s.step}:${s.status}`)).toEqual(
      expect.arrayContaining(['pending-stored:done', 'apply:done', 'verify-new:done', 'promote:done']),
    );

    const revealed = await checkout(accountId);
    expect(revealed).toMatchObject({ type: 'PASSWORD', version: 2 });
    expect(revealed.secret).not.toBe(password);
    expect((await ssh(name, { password: revealed.secret })).code).toBe(0);
    expect((await ssh(name, { password })).code).not.toBe(0);
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'InSync', compliance: 'Compliant' });
    expect((await target.readShadow()).get(other.name)).toBe(shadowBefore);

    const credential = (await client(operator).get(`/accounts/${accountId}/credentials`).expect(200)).body.items[0];
    const versions = (await client(operator).get(`/credentials/${credential.id}/versions`).expect(200)).body.items;
    expect(versions.map((v: { version: number; state: string }) => [v.version, v.state])).toEqual([
      [2, 'CURRENT'],
      [1, 'RETIRED'],
    ]);
  });

  it('a typed password with shell metacharacters, spaces, colons and non-ASCII', async () => {
    const { accountId, name } = await userWithAccount();
    const typed = `a'b"c$d(e)f;g&h|i\`j k:l-é😀-${newUser()}`;
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', newSecret: typed }).expect(202)).body.id,
    );
    expect(job.state).toBe('succeeded');
    expect((await ssh(name, { password: typed })).code).toBe(0);
  });

  it.each(['ssh-rsa', 'ecdsa-sha2-nistp256', 'ssh-ed25519', 'ssh-dss'])(
    'installs a generated %s key, then replaces it and removes the old one',
    async (sshKeyType) => {
      const { accountId, name } = await userWithAccount();
      const first = await waitForJob(
        operator,
        (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType, generate: true }).expect(202)).body.id,
      );
      expect(first).toMatchObject({ state: 'succeeded' });
      const key1 = await checkout(accountId, { credentialType: 'SSH_KEY', sshKeyType });
      expect(key1.publicKey.startsWith(`${sshKeyType} `)).toBe(true);
      expect((await ssh(name, { privateKey: key1.secret })).code).toBe(0);

      const second = await waitForJob(
        operator,
        (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType, generate: true }).expect(202)).body.id,
      );
      expect(second.steps.map((s) => `${s.step}:${s.status}`)).toContain('remove-old-key:done');
      const key2 = await checkout(accountId, { credentialType: 'SSH_KEY', sshKeyType });
      expect(key2.version).toBe(2);
      expect((await ssh(name, { privateKey: key2.secret })).code).toBe(0);
      expect((await ssh(name, { privateKey: key1.secret })).code).not.toBe(0);
    },
    60_000,
  );

  it('refuses a key install when ~/.ssh belongs to another user, saying how to fix it, and keeps the current key', async () => {
    const name = newUser();
    const password = newPassword();
    const keyPair = await generateTestKeyPair('ssh-ed25519');
    await target.addUsers([{ name, password, authorizedKeys: [keyPair.publicKey], sshDirOwner: 'root' }]);
    const accountId = await registerAccount(operator, targetId, name, password);
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true }).expect(202)).body
        .id,
    );
    expect(job).toMatchObject({ state: 'failed', errorCode: 'SSH_DIR_OWNERSHIP' });
    expect(job.errorMessage).toMatch(/chown/);
    const versions = await pm.db.credentialVersion.findMany({ where: { credential: { accountId, type: 'SSH_KEY' } } });
    expect(versions.map((v) => v.state)).toEqual(['FAILED']);
  });

  it('uses the managing account (sudo chpasswd) when the stored password no longer works', async () => {
    const { name, accountId } = await accountWithStalePassword({ sudoChpasswd: true });
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202)).body.id,
    );
    expect(job.state).toBe('succeeded');
    expect(job.steps.find((s) => s.step === 'apply' && s.status === 'done')?.detail).toEqual({ via: 'sudo' });
    expect((await ssh(name, { password: (await checkout(accountId)).secret })).code).toBe(0);
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'InSync' });
  });

  it('installs a key through the managing account (sudo -u the user) when no credential of the account logs in', async () => {
    const { name, accountId } = await accountWithStalePassword({ sudoAsUsers: true });
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true }).expect(202)).body
        .id,
    );
    expect(job).toMatchObject({ state: 'succeeded', errorCode: null });
    expect(job.steps.find((s) => s.step === 'apply' && s.status === 'done')?.detail).toEqual({ via: 'sudo' });
    const key = await checkout(accountId, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519' });
    expect((await ssh(name, { privateKey: key.secret })).code).toBe(0);
    // Written as the user: sshd's StrictModes accepts it, and the user can manage the file.
    expect((await target.run(['stat', '-c', '%U %a', `/home/${name}/.ssh`, `/home/${name}/.ssh/authorized_keys`])).stdout).toBe(`${name} 700\n${name} 600\n`);
  });

  it('a PIN cannot be changed on the target (422 says to uncheck it); two resets of one account at once → 409', async () => {
    const { accountId } = await userWithAccount();
    const pin = await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PIN', generate: true, changeOnTarget: true }).expect(422);
    expect(pin.body.detail).toMatch(/uncheck Change on target/);
    const [a, b] = await Promise.all([
      client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }),
      client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }),
    ]);
    expect([a.status, b.status].sort()).toEqual([202, 409]);
    await waitForJob(operator, (a.status === 202 ? a : b).body.id);
  });
});

describe('Reset Credentials in the vault only', () => {
  it('refuses on an InSync account without acknowledgement; with it the account loses InSync; typing the real password brings it back', async () => {
    const { accountId, password } = await userWithAccount();
    await waitForJob(operator, (await client(operator).post(`/accounts/${accountId}/check`).expect(202)).body.id);
    expect((await accountOf(pm, accountId)).status).toBe('InSync');

    const refused = await client(operator)
      .post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', newSecret: 'Wrong-Password-42!', changeOnTarget: false })
      .expect(409);
    expect(refused.body.reason).toBe('WOULD_LOSE_SYNC');
    const lossy = await client(operator)
      .post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', newSecret: 'Wrong-Password-42!', changeOnTarget: false, acknowledgeLossOfSync: true })
      .expect(202);
    await waitForJob(operator, lossy.body.id);
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'NotInSync', statusReason: 'AUTH_REJECTED' });

    const fixed = await client(operator)
      .post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', newSecret: password, changeOnTarget: false })
      .expect(202);
    await waitForJob(operator, fixed.body.id);
    expect((await accountOf(pm, accountId)).status).toBe('InSync');
    expect((await checkout(accountId)).secret).toBe(password);
  });

  it('stores a PIN in the vault only', async () => {
    const { accountId } = await userWithAccount();
    const job = await waitForJob(
      operator,
      (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PIN', newSecret: '482913', changeOnTarget: false }).expect(202)).body.id,
    );
    expect(job.state).toBe('succeeded');
    expect((await checkout(accountId, { credentialType: 'PIN' })).secret).toBe('482913');
  });
});

describe('CheckOut and CheckIn', () => {
  it('audits before revealing; exclusive checkouts block others; check-in can reset', async () => {
    const { accountId, name } = await userWithAccount();
    const policy = await client(operator).get('/policies?limit=200').expect(200);
    const admin = await loginAs(pm, 'admin');
    const exclusive = await client(admin)
      .post('/policies', { name: newUser('p'), checkoutExclusive: true, checkoutMaxMinutes: 30, resetAfterCheckin: true })
      .expect(201);
    expect(policy.body.items.length).toBeGreaterThan(0);
    await client(operator).patch(`/accounts/${accountId}`, { policyId: exclusive.body.id }).expect(200);

    const first = await checkout(accountId, { reason: 'maintenance window' });
    const events = await pm.db.auditEvent.findMany({ where: { action: 'credential.checkout', objectId: first.credentialId } });
    expect(events).toHaveLength(1);
    expect(JSON.stringify(events[0]!.details)).not.toContain(first.secret);
    expect(first.expiresAt).not.toBeNull();

    const colleague = await loginAs(pm, 'operator');
    expect((await client(colleague).post(`/accounts/${accountId}/checkout`).expect(409)).body.code).toBe('CONFLICT');

    const checkin = await client(operator).post(`/accounts/${accountId}/checkin`).expect(200);
    expect(checkin.body.resetJob).toMatchObject({ kind: 'RESET' });
    await waitForJob(operator, checkin.body.resetJob.id);
    const after = await checkout(accountId);
    expect(after.secret).not.toBe(first.secret);
    expect((await ssh(name, { password: after.secret })).code).toBe(0);
  });
});
