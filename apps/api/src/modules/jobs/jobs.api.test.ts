import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job } from '@passman/contracts';
import { generateTestKeyPair, opensshLogin, startSshTarget, type SshTarget } from '@passman/testkit';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { runInTransaction } from '../../db/transaction.js';
import { produceResetSecret, storePendingResets } from './reset-request.js';
import { accountOf, api as client, newPassword, newUser, registerAccount, registerTarget, waitForBatch, waitForJob } from './jobs.test-util.js';

let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  [pm, target] = await Promise.all([createTestApi(), startSshTarget({ pubkeyAcceptedAlgorithms: '+ssh-dss,ssh-rsa' })]);
  pm.startWorker({ leaseMs: 5_000 });
  operator = await loginAs(pm, 'operator');
  targetId = await registerTarget(operator, target);
}, 60_000);
afterAll(async () => {
  await pm?.close();
  await target?.stop();
});

/** A queue no worker takes jobs from: for jobs a test stores and looks at without running. */
const notRun = { name: 'not-run-by-any-worker' };

const ssh = (user: string, credential: { password: string } | { privateKey: string }) => opensshLogin({ target, user, credential });

async function userWithAccount(password = newPassword()) {
  const name = newUser();
  await target.addUsers([{ name, password }]);
  const accountId = await registerAccount(operator, targetId, name, password);
  return { name, password, accountId };
}

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

async function checkout(accountId: string, body: object = {}) {
  return (await client(operator).post(`/accounts/${accountId}/checkout`, body).expect(200)).body;
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
    expect(res.body).toMatchObject({ kind: 'RESET', state: 'queued' });
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

describe('bulk jobs', () => {
  it('checks many accounts as one batch with progress counts, streamed over SSE', async () => {
    const accounts = await Promise.all([userWithAccount(), userWithAccount(), userWithAccount()]);
    const batch = await client(operator)
      .post('/jobs/bulk', { kind: 'CHECK', accountIds: accounts.map((a) => a.accountId) })
      .expect(202);
    expect(batch.body).toMatchObject({ kind: 'CHECK', total: 3 });
    const stream = await operator.agent
      .get(`/api/v1/batches/${batch.body.id}/events`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    const frames = String(stream.body)
      .split('\n\n')
      .filter((f) => f.startsWith('event: batch'));
    const last = JSON.parse(frames.at(-1)!.split('data: ')[1]!);
    expect(last).toMatchObject({ done: true, counts: { succeeded: 3, failed: 0 } });
    const jobs = await client(operator).get(`/jobs?batchId=${batch.body.id}`).expect(200);
    expect(jobs.body.items).toHaveLength(3);
  });

  it('bulk RESET of accounts where one has a reset in progress: 409 naming it, and nothing stored for any of them', async () => {
    const [free, busy] = await Promise.all([userWithAccount(), userWithAccount()]);
    // A reset that settled as OUTCOME_UNKNOWN waits for an operator: it stays in progress.
    const waiting = await pm.db.job.create({ data: { kind: 'RESET', accountId: busy.accountId, state: 'unverified', errorCode: 'OUTCOME_UNKNOWN' } });
    const before = await pm.db.credentialVersion.count({ where: { credential: { accountId: { in: [free.accountId, busy.accountId] } } } });
    const refused = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds: [free.accountId, busy.accountId], reset: { credentialType: 'PASSWORD' } })
      .expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.accountIds).toEqual([busy.accountId]);
    expect(await pm.db.credentialVersion.count({ where: { credential: { accountId: { in: [free.accountId, busy.accountId] } } } })).toBe(before);
    expect(await pm.db.job.count({ where: { accountId: { in: [free.accountId, busy.accountId] }, kind: 'RESET' } })).toBe(1);
    await pm.db.job.update({ where: { id: waiting.id }, data: { state: 'failed' } });
  });

  it('bulk vault-only RESET with InSync accounts: refused as a whole without acknowledgeLossOfSync (409 naming them, nothing stored); with it all go ahead and lose InSync', async () => {
    const [synced, alsoSynced, unchecked] = await Promise.all([userWithAccount(), userWithAccount(), userWithAccount()]);
    await Promise.all(
      [synced, alsoSynced].map(async (a) => waitForJob(operator, (await client(operator).post(`/accounts/${a.accountId}/check`).expect(202)).body.id)),
    );
    expect((await accountOf(pm, synced.accountId)).status).toBe('InSync');
    expect((await accountOf(pm, unchecked.accountId)).status).toBe('Unknown');
    const accountIds = [synced, alsoSynced, unchecked].map((a) => a.accountId);
    const stored = async () => ({
      versions: await pm.db.credentialVersion.count({ where: { credential: { accountId: { in: accountIds } } } }),
      jobs: await pm.db.job.count({ where: { accountId: { in: accountIds }, kind: 'RESET' } }),
      batches: await pm.db.jobBatch.count({ where: { requestedById: operator.user.id } }),
    });
    const before = await stored();

    const vaultOnly = { credentialType: 'PASSWORD', changeOnTarget: false };
    const refused = await client(operator).post('/jobs/bulk', { kind: 'RESET', accountIds, reset: vaultOnly }).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', reason: 'WOULD_LOSE_SYNC' });
    expect(refused.body.detail).toMatch(/acknowledgeLossOfSync/);
    expect([...refused.body.accountIds].sort()).toEqual([synced.accountId, alsoSynced.accountId].sort());
    expect(await stored()).toEqual(before);

    const accepted = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds, reset: { ...vaultOnly, acknowledgeLossOfSync: true } })
      .expect(202);
    expect(accepted.body).toMatchObject({ kind: 'RESET', total: 3 });
    expect((await waitForBatch(operator, accepted.body.id)).counts).toMatchObject({ succeeded: 3, failed: 0 });
    const jobs = (await client(operator).get(`/jobs?batchId=${accepted.body.id}`).expect(200)).body.items as Job[];
    for (const job of jobs) {
      expect(job.params).toMatchObject({ changeOnTarget: false, acknowledgeLossOfSync: true, origin: 'GENERATED' });
      // The vault copy was replaced, then checked: a generated secret the target never got is refused.
      expect(job.steps.map((s) => `${s.step}:${s.status}`)).toEqual(expect.arrayContaining(['promote:done', 'check:failed']));
    }
    for (const { accountId, name, password } of [synced, alsoSynced, unchecked]) {
      expect(await accountOf(pm, accountId)).toMatchObject({ status: 'NotInSync', statusReason: 'AUTH_REJECTED' });
      const now = await checkout(accountId);
      expect(now).toMatchObject({ version: 2 });
      expect(now.secret).not.toBe(password);
      // Nothing was sent to the target: the real password still logs in there.
      expect((await ssh(name, { password })).code).toBe(0);
    }
  });

  it('the OpenAPI document shows acknowledgeLossOfSync of a bulk RESET, described', async () => {
    const doc = (await pm.request().get('/api/openapi.json').expect(200)).body;
    expect(doc.components.schemas.BulkJobRequest.properties.reset.properties.acknowledgeLossOfSync).toMatchObject({
      type: 'boolean',
      description: expect.stringMatching(/InSync/),
    });
    expect(Object.keys(doc.paths['/api/v1/jobs/bulk'].post.responses)).toEqual(expect.arrayContaining(['409', '422']));
  });

  it('a bulk RESET that loses a race with another reset of one account fails that job (RESET_IN_PROGRESS) and stores the rest', async () => {
    const [free, busy] = await Promise.all([userWithAccount(), userWithAccount()]);
    const waiting = await pm.db.job.create({ data: { kind: 'RESET', accountId: busy.accountId, state: 'unverified', errorCode: 'OUTCOME_UNKNOWN' } });
    const request = { credentialType: 'PASSWORD' as const, generate: true as const, changeOnTarget: true };
    const accounts = await pm.db.account.findMany({
      where: { id: { in: [free.accountId, busy.accountId] } },
      select: { id: true, status: true, credentials: { select: { id: true, type: true, slot: true } } },
    });
    const policy = await pm.services.policies.effective(null);
    const resets = await Promise.all(accounts.map((a) => produceResetSecret(a, request, policy)));
    const ctx = { requestId: 'test', ip: null, userAgent: null, actor: null };
    const stored = await runInTransaction(pm.db, (tx) =>
      storePendingResets({ vault: pm.services.vault, audit: pm.services.audit, queue: notRun }, tx, ctx, { resets, request, onBusy: 'fail-job' }),
    );
    expect(stored.jobIds).toHaveLength(2);
    expect(stored.queued).toHaveLength(1);
    const jobs = await pm.db.job.findMany({ where: { id: { in: stored.jobIds } } });
    expect(jobs.find((j) => j.accountId === busy.accountId)).toMatchObject({ state: 'failed', errorCode: 'RESET_IN_PROGRESS', pendingVersionId: null });
    const queued = jobs.find((j) => j.accountId === free.accountId)!;
    expect(queued).toMatchObject({ id: stored.queued[0], state: 'queued' });
    expect(await pm.db.credentialVersion.findUnique({ where: { id: queued.pendingVersionId! } })).toMatchObject({ state: 'PENDING', version: 2 });
    const audit = await pm.db.auditEvent.findMany({ where: { action: 'credential.reset.requested', requestId: 'test' }, orderBy: { seq: 'asc' } });
    expect(audit.map((e) => [(e.details as { accountId: string }).accountId, e.outcome]).sort()).toEqual(
      [
        [busy.accountId, 'failure'],
        [free.accountId, 'success'],
      ].sort(),
    );
    await pm.db.job.update({ where: { id: waiting.id }, data: { state: 'failed' } });
    await pm.services.jobs.get(queued.id); // the stored job is a valid job for the API
  });

  it('a vault-only reset whose account became InSync after the request was read is refused when stored (409, or WOULD_LOSE_SYNC in a bulk), nothing stored', async () => {
    const [single, inBulk, other] = await Promise.all([userWithAccount(), userWithAccount(), userWithAccount()]);
    const request = { credentialType: 'PASSWORD' as const, generate: true as const, changeOnTarget: false };
    const ids = [single.accountId, inBulk.accountId, other.accountId];
    // Read while not InSync (no check has run yet), as the service reads them before storing.
    const accounts = await pm.db.account.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, credentials: { select: { id: true, type: true, slot: true } } },
    });
    expect(accounts.every((a) => a.status !== 'InSync')).toBe(true);
    const policy = await pm.services.policies.effective(null);
    const resetOf = async (id: string) =>
      produceResetSecret(
        accounts.find((a) => a.id === id)!,
        request,
        policy,
      );
    // Meanwhile a check ends: two of them are InSync now.
    await pm.db.account.updateMany({ where: { id: { in: [single.accountId, inBulk.accountId] } }, data: { status: 'InSync', statusReason: null } });
    const ctx = { requestId: 'test-insync-race', ip: null, userAgent: null, actor: null };
    const deps = { vault: pm.services.vault, audit: pm.services.audit, queue: notRun };

    const refused = await runInTransaction(pm.db, async (tx) =>
      storePendingResets(deps, tx, ctx, { resets: [await resetOf(single.accountId)], request, onBusy: 'refuse' }),
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', options: { details: { reason: 'WOULD_LOSE_SYNC', accountIds: [single.accountId] } } });

    const resets = [await resetOf(inBulk.accountId), await resetOf(other.accountId)];
    const stored = await runInTransaction(pm.db, (tx) => storePendingResets(deps, tx, ctx, { resets, request, onBusy: 'fail-job' }));
    const jobs = await pm.db.job.findMany({ where: { id: { in: stored.jobIds } } });
    expect(jobs.find((j) => j.accountId === inBulk.accountId)).toMatchObject({ state: 'failed', errorCode: 'WOULD_LOSE_SYNC', pendingVersionId: null });
    expect(jobs.find((j) => j.accountId === other.accountId)).toMatchObject({ id: stored.queued[0], state: 'queued' });
    const versions = await pm.db.credentialVersion.findMany({ where: { credential: { accountId: { in: ids } } } });
    expect(versions.filter((v) => v.state === 'PENDING').map((v) => v.credentialId)).toEqual([jobs.find((j) => j.accountId === other.accountId)!.credentialId]);
    await pm.db.job.update({ where: { id: stored.queued[0]! }, data: { state: 'failed' } }); // not run: no worker test needs it
  });
});

describe('batch completion', () => {
  it('a batch with an unverified job still being recovered is not done; once recovery gave up (OUTCOME_UNKNOWN) it is', async () => {
    const [a, b] = await Promise.all([userWithAccount(), userWithAccount()]);
    // Rows of the default queue, which this file's worker does not take: their states stay as written.
    const batch = await pm.db.jobBatch.create({ data: { kind: 'RESET', total: 2 } });
    await pm.db.job.create({ data: { kind: 'RESET', accountId: a.accountId, batchId: batch.id, state: 'succeeded', finishedAt: new Date() } });
    const unverified = await pm.db.job.create({
      data: {
        kind: 'RESET',
        accountId: b.accountId,
        batchId: batch.id,
        state: 'unverified',
        errorCode: 'UNREACHABLE',
        runAfter: new Date(Date.now() + 3_600_000),
      },
    });

    const recovering = (await operator.agent.get(`/api/v1/batches/${batch.id}`).expect(200)).body;
    expect(recovering).toMatchObject({ done: false, counts: { succeeded: 1, unverified: 1, recovering: 1 } });

    await pm.db.job.update({ where: { id: unverified.id }, data: { errorCode: 'OUTCOME_UNKNOWN' } });
    const settled = (await operator.agent.get(`/api/v1/batches/${batch.id}`).expect(200)).body;
    expect(settled).toMatchObject({ done: true, counts: { succeeded: 1, unverified: 1, recovering: 0 } });
  });
});
