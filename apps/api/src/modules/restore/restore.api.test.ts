import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { VaultAction } from '@passman/contracts';
import type { SshTarget } from '@passman/testkit';
import { createApprovalRule, createGrant, createPolicy, createUser, loginWith } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { jobsHelpers, startJobsApi, stopJobsApi } from '../jobs/jobs-api.test-util.js';
import { accountOf, api as client, newPassword, waitForJob } from '../jobs/jobs.test-util.js';

// Restoring an older version of a credential over HTTP, against a real sshd: in the vault only
// (a new CURRENT version, the target untouched) and on the target (a reset whose new secret is
// the old value — OpenSSH proves the host takes it). Beside the happy paths: rights, a hidden
// account, versions that cannot be restored, a value against today's policy, racing requests.

let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  ({ pm, operator, target, targetId } = await startJobsApi());
}, 60_000);
afterAll(() => stopJobsApi({ pm, target }));

const { ssh, userWithAccount, checkout } = jobsHelpers(() => ({ pm, operator, target, targetId }));

interface Version {
  version: number;
  state: string;
  origin: string;
  restoredFrom: number | null;
  createdBy: { username: string } | null;
}

const restore = (who: LoggedIn, credentialId: string, version: number, body: object) =>
  client(who).post(`/credentials/${credentialId}/versions/${version}/restore`, body);

async function passwordOf(accountId: string) {
  return (await client(operator).get(`/accounts/${accountId}/credentials`).expect(200)).body.items[0] as { id: string };
}
async function versionsOf(credentialId: string): Promise<Version[]> {
  return (await client(operator).get(`/credentials/${credentialId}/versions`).expect(200)).body.items;
}

/** An account on the real target whose password was reset once on it: version 1 (typed, RETIRED) and 2 (generated, CURRENT, on the host). */
async function accountResetOnce() {
  // Long and varied enough for the default policy: restoring it is no policy question unless a test makes it one.
  const account = await userWithAccount(`${newPassword()}Zz9-xy`);
  const job = await waitForJob(
    operator,
    (await client(operator).post(`/accounts/${account.accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202)).body.id,
  );
  expect(job.state).toBe('succeeded');
  const second = (await checkout(account.accountId)).secret as string;
  await client(operator).post(`/accounts/${account.accountId}/checkin`).expect(200);
  return { ...account, second, credentialId: (await passwordOf(account.accountId)).id };
}

/** An operator whose rights are exactly `actions` on the target of the shared sshd. */
async function operatorWith(actions: VaultAction[]) {
  const user = await createUser(pm, 'operator', { vaultRights: 'none' });
  for (const action of actions) await createGrant(pm, { object: { type: 'target', id: targetId }, principal: { type: 'user', id: user.id }, action });
  return loginWith(pm, user);
}

describe('restore in the vault only', () => {
  it('makes a new CURRENT version holding the old value; the host keeps its password; the account is Unknown until checked', async () => {
    const { accountId, name, password, second, credentialId } = await accountResetOnce();
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'InSync' });

    // InSync: the vault copy alone would no longer be the host's password — refused unless acknowledged, as a reset is.
    const refused = await restore(operator, credentialId, 1, { onTarget: false }).expect(409);
    expect(refused.body).toMatchObject({ reason: 'WOULD_LOSE_SYNC' });
    expect(await versionsOf(credentialId)).toHaveLength(2);

    const res = await restore(operator, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(200);
    expect(res.body).toMatchObject({
      onTarget: false,
      restoredFrom: 1,
      job: null,
      version: { version: 3, state: 'CURRENT', origin: 'RESTORED', restoredFrom: 1 },
    });
    expect(JSON.stringify(res.body)).not.toContain(password);
    expect((await versionsOf(credentialId)).map((v) => [v.version, v.state, v.origin, v.restoredFrom, v.createdBy?.username])).toEqual([
      [3, 'CURRENT', 'RESTORED', 1, operator.user.username],
      [2, 'RETIRED', 'GENERATED', null, operator.user.username],
      [1, 'RETIRED', 'TYPED', null, operator.user.username],
    ]);
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'Unknown', statusReason: 'NOT_CHECKED' });
    // CheckOut (audited) shows the restored value; the host was not touched.
    expect(await checkout(accountId)).toMatchObject({ version: 3, secret: password });
    expect((await ssh(name, { password: second })).code).toBe(0);

    const events = await pm.db.auditEvent.findMany({ where: { objectId: credentialId, action: 'credential.restore' } });
    expect(events).toHaveLength(1);
    expect(events[0]!.details).toMatchObject({ accountId, version: 3, restoredFrom: 1, onTarget: false });
    expect(JSON.stringify(events[0]!.details)).not.toContain(password);
  });

  it('two identical restores racing: one lands, the other finds the value current already (checked under the account lock)', async () => {
    const { credentialId } = await accountResetOnce();
    const body = { onTarget: false, acknowledgeLossOfSync: true };
    const [a, b] = await Promise.all([restore(operator, credentialId, 1, body), restore(operator, credentialId, 1, body)]);
    expect([a.status, b.status].sort()).toEqual([200, 409]);
    expect((a.status === 409 ? a : b).body).toMatchObject({ code: 'CONFLICT', reason: 'SAME_AS_CURRENT' });
    expect((await versionsOf(credentialId)).map((v) => [v.version, v.state])).toEqual([
      [3, 'CURRENT'],
      [2, 'RETIRED'],
      [1, 'RETIRED'],
    ]);
    // Another value still can be restored after it: version 2's.
    await restore(operator, credentialId, 2, body).expect(200);
    expect((await versionsOf(credentialId))[0]).toMatchObject({ version: 4, state: 'CURRENT', restoredFrom: 2 });
  });
});

describe('restore on the target', () => {
  it('puts the old password back on the host through the reset protocol: OpenSSH logs in with it, not with the replaced one', async () => {
    const { accountId, name, password, second, credentialId } = await accountResetOnce();
    const res = await restore(operator, credentialId, 1, { onTarget: true }).expect(200);
    expect(res.body).toMatchObject({ onTarget: true, restoredFrom: 1, version: null, job: { kind: 'RESET', credentialId } });
    expect(res.body.job.params).toMatchObject({ origin: 'RESTORED', restoredFrom: 1, changeOnTarget: true });
    const job = await waitForJob(operator, res.body.job.id);
    expect(job.state).toBe('succeeded');
    expect(job.steps.map((s) => `${s.step}:${s.status}`)).toEqual(
      expect.arrayContaining(['pending-stored:done', 'apply:done', 'verify-new:done', 'promote:done']),
    );

    expect((await ssh(name, { password })).code).toBe(0);
    expect((await ssh(name, { password: second })).code).not.toBe(0);
    expect((await versionsOf(credentialId)).map((v) => [v.version, v.state, v.origin, v.restoredFrom])).toEqual([
      [3, 'CURRENT', 'RESTORED', 1],
      [2, 'RETIRED', 'GENERATED', null],
      [1, 'RETIRED', 'TYPED', null],
    ]);
    expect(await accountOf(pm, accountId)).toMatchObject({ status: 'InSync' });
    expect(await checkout(accountId)).toMatchObject({ version: 3, secret: password });
    const requested = await pm.db.auditEvent.findMany({ where: { objectId: credentialId, action: 'credential.restore.requested' } });
    expect(requested).toHaveLength(1);
    expect(requested[0]!.details).toMatchObject({ accountId, restoredFrom: 1, jobId: job.id });
    // The value is current again: restoring it once more would change nothing, on the host or in the vault.
    expect((await restore(operator, credentialId, 1, { onTarget: true }).expect(409)).body).toMatchObject({ reason: 'SAME_AS_CURRENT' });
  });

  it('two restores on the target racing: one is stored and queued, the other refused while it waits', async () => {
    const { credentialId } = await accountResetOnce();
    // An API of the same vault whose queue no worker takes: the first restore's job cannot end before the second asks.
    const still = await createTestApi({ vault: pm.services.vault });
    try {
      const op = await loginAs(still, 'operator');
      const [a, b] = await Promise.all([restore(op, credentialId, 1, { onTarget: true }), restore(op, credentialId, 1, { onTarget: true })]);
      expect([a.status, b.status].sort()).toEqual([200, 409]);
      expect((a.status === 409 ? a : b).body.code).toBe('CONFLICT');
      expect((await versionsOf(credentialId)).map((v) => [v.version, v.state, v.origin])).toEqual([
        [3, 'PENDING', 'RESTORED'],
        [2, 'CURRENT', 'GENERATED'],
        [1, 'RETIRED', 'TYPED'],
      ]);
      // Nor may the vault copy change under the pending one.
      const vaultOnly = await restore(op, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(409);
      expect(vaultOnly.body).toMatchObject({ reason: 'RESET_IN_PROGRESS' });
    } finally {
      await still.close();
    }
  });
});

describe('restore of an SSH key on the target', () => {
  it('installs the old key again and removes the replaced one: OpenSSH logs in with the old key only', async () => {
    const { accountId, name } = await userWithAccount();
    const keyOf = async () => {
      const job = await waitForJob(
        operator,
        (await client(operator).post(`/accounts/${accountId}/reset`, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519', generate: true }).expect(202)).body
          .id,
      );
      expect(job.state).toBe('succeeded');
      const key = await checkout(accountId, { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519' });
      await client(operator).post(`/accounts/${accountId}/checkin`).expect(200);
      return key as { credentialId: string; secret: string; fingerprint: string };
    };
    const first = await keyOf();
    const second = await keyOf();
    const res = await restore(operator, first.credentialId, 1, { onTarget: true }).expect(200);
    expect((await waitForJob(operator, res.body.job.id)).state).toBe('succeeded');
    expect((await ssh(name, { privateKey: first.secret })).code).toBe(0);
    expect((await ssh(name, { privateKey: second.secret })).code).not.toBe(0);
    const current = (await versionsOf(first.credentialId))[0] as Version & { fingerprint: string };
    expect(current).toMatchObject({ version: 3, state: 'CURRENT', origin: 'RESTORED', restoredFrom: 1, fingerprint: first.fingerprint });
  });
});

describe('what is refused', () => {
  it('the current version, an unknown version, malformed input: nothing stored', async () => {
    const { credentialId } = await accountResetOnce();
    expect((await restore(operator, credentialId, 2, { onTarget: false, acknowledgeLossOfSync: true }).expect(409)).body).toMatchObject({
      reason: 'VERSION_NOT_RESTORABLE',
      state: 'CURRENT',
    });
    await restore(operator, credentialId, 99, { onTarget: false }).expect(404);
    for (const res of [
      await client(operator).post(`/credentials/${credentialId}/versions/abc/restore`, { onTarget: false }),
      await client(operator).post(`/credentials/${credentialId}/versions/0/restore`, { onTarget: false }),
      await restore(operator, credentialId, 1, { onTarget: 'yes' }),
      await restore(operator, credentialId, 1, { onTarget: false, secret: 'x' }),
    ]) {
      expect([res.status, res.body.code]).toEqual([422, 'VALIDATION_FAILED']);
    }
    await client(operator).post(`/credentials/00000000-0000-4000-8000-000000000000/versions/1/restore`, { onTarget: false }).expect(404);
    // Past PostgreSQL's integer: a validation error, never a database error.
    expect((await restore(operator, credentialId, 99_999_999_999, { onTarget: false })).body.code).toBe('VALIDATION_FAILED');
    expect(await versionsOf(credentialId)).toHaveLength(2);
  });

  it('rights: update for the vault only, reset on the target; a hidden account answers 404', async () => {
    const { credentialId } = await accountResetOnce();
    const viewer = await operatorWith(['view']);
    const updater = await operatorWith(['view', 'update']);
    const stranger = await operatorWith([]);
    await restore(viewer, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(403);
    await restore(updater, credentialId, 1, { onTarget: true }).expect(403);
    const hidden = await restore(stranger, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(404);
    expect(hidden.body.code).toBe('NOT_FOUND');
    expect(await versionsOf(credentialId)).toHaveLength(2);
    // update suffices for the vault only.
    await restore(updater, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(200);
    // An auditor may see the history, never restore it.
    const auditor = await loginWith(pm, await createUser(pm, 'auditor'));
    await restore(auditor, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(403);
  });

  it('an approval rule on resets holds for a restore in the vault only too', async () => {
    const { accountId, credentialId } = await accountResetOnce();
    await createApprovalRule(pm, { type: 'account', id: accountId }, 'reset', 60);
    const refused = await restore(operator, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(403);
    expect(refused.body.code).toBe('APPROVAL_REQUIRED');
    expect((await restore(operator, credentialId, 1, { onTarget: true }).expect(403)).body.code).toBe('APPROVAL_REQUIRED');
    expect(await versionsOf(credentialId)).toHaveLength(2);
  });

  it('a value against today’s policy is refused unless accepted; accepted, the account shows Noncompliant', async () => {
    const { accountId, credentialId } = await accountResetOnce();
    // The typed first password is 22 characters long; today's policy asks for 40.
    const strict = await createPolicy(pm, { passwordLength: 40 });
    await client(operator).patch(`/accounts/${accountId}`, { policyId: strict.id }).expect(200);
    const refused = await restore(operator, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true }).expect(409);
    expect(refused.body).toMatchObject({ reason: 'NONCOMPLIANT' });
    const res = await restore(operator, credentialId, 1, { onTarget: false, acknowledgeLossOfSync: true, acceptNoncompliant: true }).expect(200);
    expect(res.body.version).toMatchObject({ compliant: false, origin: 'RESTORED' });
    expect(await accountOf(pm, accountId)).toMatchObject({ compliance: 'Noncompliant' });
  });
});
