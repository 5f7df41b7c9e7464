import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { VaultAction } from '@passman/contracts';
import {
  createAccount,
  createCheckJob,
  createCredential,
  createFolder,
  createGrant,
  createHostKey,
  createPolicy,
  createTarget,
  createUser,
  loginAs,
  loginWith,
} from '../../test/factories.js';
import { createTestApi, type LoggedIn, type TestApi } from '../../test/harness.js';

// The dashboard over HTTP: its counts are limited to what the caller may see, and each count is
// exactly the number of rows of the list it links to (the same filters, the same visibility).
// Quick Password Saving creates what is missing only with the tree's manage right.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const get = (who: LoggedIn, path: string) => who.agent.get(`/api/v1${path}`);
const post = (who: LoggedIn, path: string, body: object) => who.agent.post(`/api/v1${path}`).set('X-CSRF-Token', who.csrf).send(body);
const DAY = 24 * 60 * 60 * 1000;

async function operatorWith(folderId: string, actions: VaultAction[]) {
  const user = await createUser(api, 'operator', { vaultRights: 'none' });
  for (const action of actions) await createGrant(api, { object: { type: 'folder', id: folderId }, principal: { type: 'user', id: user.id }, action });
  return loginWith(api, user);
}

/** A folder holding one of each thing the dashboard counts (and a few it must not). */
async function folderOfEverything() {
  const folder = await createFolder(api);
  const pendingKeyTarget = await createTarget(api, { folderId: folder.id });
  await createHostKey(api, pendingKeyTarget.id);
  const quietTarget = await createTarget(api, { folderId: folder.id });
  await createHostKey(api, quietTarget.id, { approved: true });
  const holder = await createUser(api, 'operator');
  const rotating = await createPolicy(api, { rotationIntervalDays: 1 });

  const inSync = await createAccount(api, pendingKeyTarget.id);
  const broken = await createAccount(api, pendingKeyTarget.id);
  const held = await createAccount(api, quietTarget.id);
  const stale = await createAccount(api, quietTarget.id, { policyId: rotating.id });
  const fresh = await createAccount(api, quietTarget.id, { policyId: rotating.id });
  await createCredential(api, stale.id);
  await createCredential(api, fresh.id);
  // The stale account's password has been current for three days; its policy rotates daily.
  await api.db.credentialVersion.updateMany({ where: { credential: { accountId: stale.id } }, data: { stateChangedAt: new Date(Date.now() - 3 * DAY) } });
  await api.db.account.update({ where: { id: inSync.id }, data: { status: 'InSync', compliance: 'Compliant' } });
  await api.db.account.update({ where: { id: broken.id }, data: { status: 'NotInSync', statusReason: 'AUTH_REJECTED', compliance: 'Noncompliant' } });
  await api.db.account.update({ where: { id: held.id }, data: { status: 'Unknown', checkedOutById: holder.id, checkedOutAt: new Date() } });
  await api.db.account.updateMany({ where: { id: { in: [stale.id, fresh.id] } }, data: { status: 'Unknown', compliance: 'Compliant' } });

  const failedNow = await createCheckJob(api, broken.id);
  const failedLongAgo = await createCheckJob(api, inSync.id);
  const unverified = await createCheckJob(api, held.id);
  await api.db.job.update({ where: { id: failedNow.id }, data: { state: 'failed', errorCode: 'AUTH_REJECTED', finishedAt: new Date() } });
  await api.db.job.update({ where: { id: failedLongAgo.id }, data: { state: 'failed', createdAt: new Date(Date.now() - 2 * DAY) } });
  await api.db.job.update({ where: { id: unverified.id }, data: { state: 'unverified' } });
  return { folder, accounts: { inSync, broken, held, stale, fresh } };
}

describe('GET /dashboard', () => {
  it('counts only what a narrow operator may see, and each count is the length of the list it links to', async () => {
    const mine = await folderOfEverything();
    await folderOfEverything(); // another folder, out of the operator's sight
    const narrow = await operatorWith(mine.folder.id, ['view']);

    const res = await get(narrow, '/dashboard').expect(200);
    expect(res.body).toMatchObject({
      accounts: { total: 5, inSync: 1, notInSync: 1, unknown: 3, noncompliant: 1, checkedOut: 1, rotationOverdue: 1 },
      targets: { hostKeysPending: 1 },
      jobs: { failed: 1, unverified: 1 },
    });

    const since = encodeURIComponent(res.body.since as string);
    const lists: [string, number][] = [
      ['/accounts?status=InSync', 1],
      ['/accounts?status=NotInSync', 1],
      ['/accounts?status=Unknown', 3],
      ['/accounts?compliance=Noncompliant', 1],
      ['/accounts?checkedOut=true', 1],
      ['/accounts?rotationOverdue=true', 1],
      ['/targets?hostKeyPending=true', 1],
      [`/jobs?state=failed&since=${since}`, 1],
      ['/jobs?state=unverified', 1],
    ];
    for (const [path, count] of lists) {
      const page = await get(narrow, `${path}&limit=200`).expect(200);
      expect([path, page.body.items.length]).toEqual([path, count]);
    }
    expect((await get(narrow, '/accounts?rotationOverdue=true').expect(200)).body.items[0].id).toBe(mine.accounts.stale.id);
    expect((await get(narrow, '/accounts?checkedOut=true').expect(200)).body.items[0].id).toBe(mine.accounts.held.id);

    // An administrator sees both folders (and whatever other tests made): at least twice as much.
    const admin = await loginAs(api, 'admin');
    const all = (await get(admin, '/dashboard').expect(200)).body;
    expect(all.accounts.notInSync).toBeGreaterThanOrEqual(2);
    expect(all.targets.hostKeysPending).toBeGreaterThanOrEqual(2);
  });

  it('an operator who sees nothing counts nothing; an auditor may look; a bad filter is a 422', async () => {
    await folderOfEverything();
    const blind = await loginWith(api, await createUser(api, 'operator', { vaultRights: 'none' }));
    expect((await get(blind, '/dashboard').expect(200)).body).toMatchObject({
      accounts: { total: 0, inSync: 0, notInSync: 0, unknown: 0, noncompliant: 0, checkedOut: 0, rotationOverdue: 0 },
      targets: { hostKeysPending: 0 },
      jobs: { failed: 0, unverified: 0 },
    });
    expect((await get(blind, '/dashboard/activity').expect(200)).body.items).toEqual([]);
    await get(await loginAs(api, 'auditor'), '/dashboard').expect(200);
    expect((await get(blind, '/accounts?checkedOut=maybe').expect(422)).body.code).toBe('VALIDATION_FAILED');
    expect((await get(blind, '/jobs?since=yesterday').expect(422)).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('GET /dashboard/activity', () => {
  it('shows the last day’s events on the accounts the caller sees, newest first, and none of the others', async () => {
    const mine = await folderOfEverything();
    const theirs = await folderOfEverything();
    const narrow = await operatorWith(mine.folder.id, ['view']);
    const items = (await get(narrow, '/dashboard/activity').expect(200)).body.items as { seq: string; action: string; account: { id: string } | null }[];
    const accountIds = new Set(items.map((i) => i.account?.id));
    expect(accountIds.has(mine.accounts.broken.id)).toBe(true);
    expect(items.some((i) => i.action === 'credential.check.requested')).toBe(true);
    for (const hidden of Object.values(theirs.accounts)) expect(accountIds.has(hidden.id)).toBe(false);
    expect(accountIds.has(undefined)).toBe(false);
    const seqs = items.map((i) => BigInt(i.seq));
    expect([...seqs].sort((a, b) => (a > b ? -1 : a < b ? 1 : 0))).toEqual(seqs);
  });
});

describe('POST /dashboard/quick-save', () => {
  it('creates the target and account when missing, stores the password, queues a check; again, it reuses them', async () => {
    const folder = await createFolder(api);
    const operator = await operatorWith(folder.id, ['view', 'manage', 'update', 'check', 'reset', 'checkout']);
    const body = {
      folderId: folder.id,
      targetName: `qs-${folder.id.slice(0, 8)}`,
      address: '127.0.0.1',
      username: 'deploy',
      password: 'Quick-Saved-Passw0rd!',
    };
    const first = await post(operator, '/dashboard/quick-save', body).expect(202);
    expect(first.body).toMatchObject({
      target: { name: body.targetName, created: true },
      account: { username: 'deploy', created: true },
      job: { kind: 'CHECK' },
    });
    expect(JSON.stringify(first.body)).not.toContain(body.password);
    const target = await api.db.target.findUniqueOrThrow({ where: { id: first.body.target.id } });
    expect(target).toMatchObject({ folderId: folder.id, address: '127.0.0.1', port: 22 });
    const revealed = await post(operator, `/accounts/${first.body.account.id}/checkout`, {}).expect(200);
    expect(revealed.body.secret).toBe(body.password);
    await post(operator, `/accounts/${first.body.account.id}/checkin`, {}).expect(200);

    const again = await post(operator, '/dashboard/quick-save', { ...body, password: 'Second-Saved-Passw0rd!' }).expect(202);
    expect(again.body).toMatchObject({
      target: { id: first.body.target.id, created: false },
      account: { id: first.body.account.id, created: false },
      job: { kind: 'RESET', params: { changeOnTarget: false } },
    });
    expect(await api.db.target.count({ where: { folderId: folder.id } })).toBe(1);
  });

  it('two Quick Saves of one new target and account racing: one target, one account, and no 500', async () => {
    const folder = await createFolder(api);
    const operator = await operatorWith(folder.id, ['view', 'manage', 'update', 'check', 'reset']);
    const body = { folderId: folder.id, targetName: 'qs-race', address: '127.0.0.1', username: 'deploy', password: 'Quick-Saved-Passw0rd!' };
    const answers = await Promise.all([post(operator, '/dashboard/quick-save', body), post(operator, '/dashboard/quick-save', body)]);
    for (const answer of answers) expect([202, 409]).toContain(answer.status);
    expect(answers.some((a) => a.status === 202)).toBe(true);
    expect(await api.db.target.count({ where: { folderId: folder.id } })).toBe(1);
    expect(await api.db.account.count({ where: { target: { folderId: folder.id } } })).toBe(1);
  });

  it('refuses without manage where something must be created, and answers 404 for a folder the caller cannot see; nothing is stored', async () => {
    const folder = await createFolder(api);
    const viewer = await operatorWith(folder.id, ['view', 'update', 'check']);
    const body = { folderId: folder.id, targetName: 'qs-refused', username: 'deploy', password: 'Quick-Saved-Passw0rd!' };
    await post(viewer, '/dashboard/quick-save', body).expect(403);
    const stranger = await operatorWith((await createFolder(api)).id, ['view', 'manage', 'update', 'check']);
    await post(stranger, '/dashboard/quick-save', body).expect(404);
    expect(await api.db.target.count({ where: { folderId: folder.id } })).toBe(0);
    expect((await post(viewer, '/dashboard/quick-save', { ...body, password: 'two\nlines' }).expect(422)).body.code).toBe('VALIDATION_FAILED');
  });
});
