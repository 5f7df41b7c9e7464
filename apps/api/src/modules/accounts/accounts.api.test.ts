import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount, createCredential, createPolicy, createTarget, createUser } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { createAccountsRepo } from './accounts.repo.js';
import { createAccountsService } from './accounts.service.js';

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'operator');
});
afterAll(async () => {
  await api.close();
});

const UNKNOWN_ID = '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c';
const post = (path: string, body: unknown) =>
  admin.agent
    .post(`/api/v1${path}`)
    .set('X-CSRF-Token', admin.csrf)
    .send(body as object);
const patch = (path: string, body: unknown) =>
  admin.agent
    .patch(`/api/v1${path}`)
    .set('X-CSRF-Token', admin.csrf)
    .send(body as object);
const del = (path: string) => admin.agent.delete(`/api/v1${path}`).set('X-CSRF-Token', admin.csrf);
const get = (path: string) => admin.agent.get(`/api/v1${path}`);
/** The fields refused (a field breaking several rules has an issue for each). */
const paths = (res: { body: { errors?: { path: string }[] } }) => [...new Set((res.body.errors ?? []).map((e) => e.path))].sort();
const eventsOf = (objectId: string) => api.db.auditEvent.findMany({ where: { objectId }, orderBy: { seq: 'asc' } });

describe('POST /accounts', () => {
  it('creates an account, presents it with its target and audits it', async () => {
    const target = await createTarget(api);
    const policy = await createPolicy(api);
    const res = await post('/accounts', { targetId: target.id, username: 'deploy', description: 'CI deploys\nas this user', policyId: policy.id }).expect(201);
    expect(res.body).toMatchObject({
      targetId: target.id,
      target: { id: target.id, name: target.name, address: target.address },
      username: 'deploy',
      description: 'CI deploys\nas this user',
      status: 'Unknown',
      statusReason: null,
      lastCheckedAt: null,
      lastChangedAt: null,
      policyId: policy.id,
      policy: { id: policy.id, name: policy.name },
      compliance: null,
      isManagingAccount: false,
      checkout: null,
    });
    const events = await eventsOf(res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'account.create', objectType: 'account', actorId: admin.user.id });
    expect(events[0]!.details).toMatchObject({ username: 'deploy', targetId: target.id, targetName: target.name });
    const count = await get(`/targets/${target.id}`).expect(200);
    expect(count.body.accountCount).toBe(1);
  });

  it('accepts POSIX user names up to 32 characters', async () => {
    const target = await createTarget(api);
    for (const username of ['_svc', 'www-data', 'a'.repeat(32)]) {
      await post('/accounts', { targetId: target.id, username }).expect(201);
    }
  });

  it('answers the same username on the same target with 409, but allows it on another target', async () => {
    const existing = await createAccount(api, undefined, { username: 'root' });
    const before = await api.db.auditEvent.count({ where: { action: 'account.create' } });
    const res = await post('/accounts', { targetId: existing.targetId, username: 'root' }).expect(409);
    expect(res.body).toMatchObject({ code: 'ALREADY_EXISTS' });
    expect(res.body.detail).toMatch(/root/);
    expect(await api.db.account.count({ where: { targetId: existing.targetId } })).toBe(1);
    expect(await api.db.auditEvent.count({ where: { action: 'account.create' } })).toBe(before);
    await post('/accounts', { targetId: (await createTarget(api)).id, username: 'root' }).expect(201);
  });

  it('lists every invalid field in one 422', async () => {
    const res = await post('/accounts', { targetId: 'nope', username: 'Root;id', description: 5, policyId: 'x', status: 'InSync' }).expect(422);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(paths(res)).toEqual(['body', 'body.description', 'body.policyId', 'body.targetId', 'body.username']);
  });

  // A trailing $ (Samba machine accounts) too: $ is a shell metacharacter, refused everywhere.
  it.each(['Root', '1abc', '-oops', 'a b', 'a;id', 'x$y', '$', 'host01$', 'a'.repeat(33), '', 'ünï', 'a\0', 'a\ud800'])(
    'refuses the username %j',
    async (username) => {
      const res = await post('/accounts', { targetId: UNKNOWN_ID, username }).expect(422);
      expect(paths(res)).toEqual(['body.username']);
    },
  );

  it('answers an unknown target or policy with 422 naming the field', async () => {
    const unknownTarget = await post('/accounts', { targetId: UNKNOWN_ID, username: 'root' }).expect(422);
    expect(unknownTarget.body).toMatchObject({ code: 'UNPROCESSABLE', detail: 'Target does not exist' });
    expect(paths(unknownTarget)).toEqual(['body.targetId']);
    const target = await createTarget(api);
    const unknownPolicy = await post('/accounts', { targetId: target.id, username: 'root', policyId: UNKNOWN_ID }).expect(422);
    expect(paths(unknownPolicy)).toEqual(['body.policyId']);
    expect(await api.db.account.count({ where: { targetId: target.id } })).toBe(0);
  });
});

describe('GET /accounts/:id', () => {
  it('shows status, times, compliance and check-out', async () => {
    const checkedAt = new Date('2026-11-01T10:00:00.123Z');
    const user = await createUser(api, 'operator');
    const account = await createAccount(api, undefined, {
      status: 'NotInSync',
      statusReason: 'AUTH_REJECTED',
      lastCheckedAt: checkedAt,
      compliance: 'Noncompliant',
      checkedOutById: user.id,
      checkedOutAt: checkedAt,
    });
    const res = await get(`/accounts/${account.id}`).expect(200);
    expect(res.body).toMatchObject({
      status: 'NotInSync',
      statusReason: 'AUTH_REJECTED',
      lastCheckedAt: '2026-11-01T10:00:00.123Z',
      compliance: 'Noncompliant',
      checkout: { userId: user.id, checkedOutAt: '2026-11-01T10:00:00.123Z', expiresAt: null },
    });
  });

  it('answers an unknown id with 404 and a malformed one with 422', async () => {
    expect((await get(`/accounts/${UNKNOWN_ID}`).expect(404)).body.code).toBe('NOT_FOUND');
    expect(paths(await get('/accounts/12').expect(422))).toEqual(['params.id']);
  });
});

describe('PATCH /accounts/:id', () => {
  it('renames, describes and sets the policy, auditing the changed fields', async () => {
    const account = await createAccount(api, undefined, { username: 'olduser', description: 'same' });
    const policy = await createPolicy(api);
    const res = await patch(`/accounts/${account.id}`, { username: 'newuser', description: 'same', policyId: policy.id }).expect(200);
    expect(res.body).toMatchObject({ username: 'newuser', description: 'same', policyId: policy.id, policy: { name: policy.name } });
    const [event] = await eventsOf(account.id);
    expect(event).toMatchObject({ action: 'account.update', objectType: 'account' });
    expect(event!.details).toMatchObject({
      fields: ['policyId', 'username'],
      changes: { username: { from: 'olduser', to: 'newuser' }, policyId: { from: null, to: policy.id } },
    });
    const cleared = await patch(`/accounts/${account.id}`, { policyId: null }).expect(200);
    expect(cleared.body).toMatchObject({ policyId: null, policy: null });
  });

  it('a renamed InSync account is InSync no more until checked (the check proved the old login); a described one stays InSync', async () => {
    const account = await createAccount(api, undefined, { status: 'InSync', lastCheckedAt: new Date() });
    const described = await patch(`/accounts/${account.id}`, { description: 'db owner' }).expect(200);
    expect(described.body).toMatchObject({ status: 'InSync' });
    const renamed = await patch(`/accounts/${account.id}`, { username: `${account.username}x` }).expect(200);
    expect(renamed.body).toMatchObject({ status: 'Unknown', statusReason: 'NOT_CHECKED' });
  });

  it('writes no audit event when nothing changes', async () => {
    const account = await createAccount(api, undefined, { description: 'x' });
    await patch(`/accounts/${account.id}`, { description: 'x', username: account.username }).expect(200);
    expect(await eventsOf(account.id)).toHaveLength(0);
  });

  it('answers a rename onto another account of the target with 409 and changes nothing', async () => {
    const target = await createTarget(api);
    const a = await createAccount(api, target.id, { username: 'alice' });
    await createAccount(api, target.id, { username: 'bob' });
    const res = await patch(`/accounts/${a.id}`, { username: 'bob', description: 'changed' }).expect(409);
    expect(res.body.code).toBe('ALREADY_EXISTS');
    expect(await api.db.account.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ username: 'alice', description: '' });
    expect(await eventsOf(a.id)).toHaveLength(0);
  });

  it('lists every invalid field, refuses read-only fields and an empty body', async () => {
    const account = await createAccount(api);
    const res = await patch(`/accounts/${account.id}`, { username: 'A', policyId: 7, status: 'InSync', targetId: UNKNOWN_ID }).expect(422);
    expect(paths(res)).toEqual(['body', 'body.policyId', 'body.username']);
    expect(res.body.errors.find((e: { path: string }) => e.path === 'body').message).toMatch(/status.*targetId|targetId.*status/);
    await patch(`/accounts/${account.id}`, {}).expect(422);
  });

  it('answers an unknown account with 404 and an unknown policy with 422', async () => {
    await patch(`/accounts/${UNKNOWN_ID}`, { description: 'x' }).expect(404);
    const account = await createAccount(api);
    expect(paths(await patch(`/accounts/${account.id}`, { policyId: UNKNOWN_ID }).expect(422))).toEqual(['body.policyId']);
  });
});

describe('DELETE /accounts/:id', () => {
  it('deletes the account with its credentials and audits it', async () => {
    const target = await createTarget(api);
    const account = await createAccount(api, target.id);
    await api.db.target.update({ where: { id: target.id }, data: { managingAccountId: account.id } });
    await createCredential(api, account.id);
    await del(`/accounts/${account.id}`).expect(204);
    expect(await api.db.account.count({ where: { id: account.id } })).toBe(0);
    expect(await api.db.credential.count({ where: { accountId: account.id } })).toBe(0);
    expect((await api.db.target.findUniqueOrThrow({ where: { id: target.id } })).managingAccountId).toBeNull();
    const [event] = await eventsOf(account.id);
    expect(event).toMatchObject({ action: 'account.delete', objectType: 'account' });
    expect(event!.details).toMatchObject({ username: account.username, targetId: target.id, wasManagingAccount: true, credentials: 1 });
    await del(`/accounts/${account.id}`).expect(404);
  });

  it('refuses to delete a checked-out account with 409', async () => {
    const user = await createUser(api, 'operator');
    const account = await createAccount(api, undefined, { checkedOutById: user.id, checkedOutAt: new Date() });
    const res = await del(`/accounts/${account.id}`).expect(409);
    expect(res.body).toMatchObject({ code: 'CONFLICT' });
    expect(res.body.detail).toMatch(/checked out/);
    expect(await api.db.account.count({ where: { id: account.id } })).toBe(1);
    expect(await eventsOf(account.id)).toHaveLength(0);
  });

  it('answers a malformed id with 422', async () => {
    expect(paths(await del('/accounts/zzz').expect(422))).toEqual(['params.id']);
  });
});

describe('audit fails closed', () => {
  const failingAudit = {
    record: async () => {
      throw new Error('audit store unavailable');
    },
  } as unknown as Parameters<typeof createAccountsService>[0]['audit'];
  const service = () =>
    createAccountsService({ repo: createAccountsRepo(api.db), audit: failingAudit, policies: api.services.policies, access: api.services.access });
  const ctx = { requestId: 'test', ip: null, userAgent: null, actor: null };

  it('no account row, change or deletion survives a failed audit write', async () => {
    const target = await createTarget(api);
    await expect(service().create(ctx, { targetId: target.id, username: 'ghost', description: '', policyId: null })).rejects.toThrow('audit store');
    expect(await api.db.account.count({ where: { targetId: target.id } })).toBe(0);
    const account = await createAccount(api, target.id, { username: 'kept' });
    await expect(service().update(ctx, account.id, { username: 'renamed' })).rejects.toThrow('audit store');
    await expect(service().delete(ctx, account.id)).rejects.toThrow('audit store');
    expect(await api.db.account.findUniqueOrThrow({ where: { id: account.id } })).toMatchObject({ username: 'kept' });
  });
});
