import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, dropDatabase } from '@passman/testkit';
import { createAccount, createTarget } from '../../test/factories.js';
import { createTestApi, loginAs, testVault, unique, type LoggedIn, type TestApi } from '../../test/harness.js';
import { sealedVersion } from '../credentials/secret-material.js';

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

/** Requests as one logged-in user (unsafe methods carry its CSRF token). */
const as = (session: LoggedIn) => ({
  get: (path: string) => session.agent.get(`/api/v1${path}`),
  post: (path: string, body: object) => session.agent.post(`/api/v1${path}`).set('X-CSRF-Token', session.csrf).send(body),
  patch: (path: string, body: object) => session.agent.patch(`/api/v1${path}`).set('X-CSRF-Token', session.csrf).send(body),
  delete: (path: string) => session.agent.delete(`/api/v1${path}`).set('X-CSRF-Token', session.csrf),
});
const post = (body: object) => as(admin).post('/policies', body);
const patch = (id: string, body: object) => as(admin).patch(`/policies/${id}`, body);

describe('policies', () => {
  it('there is a default policy from the start', async () => {
    const res = await admin.agent.get('/api/v1/policies?limit=200').expect(200);
    const defaults = res.body.items.filter((p: { isDefault: boolean }) => p.isDefault);
    expect(defaults).toHaveLength(1);
    expect(defaults[0]).toMatchObject({ passwordLength: 20, sshKeyType: 'ssh-rsa', pinLength: 6 });
  });

  it('creates a policy with defaults filled in, reads, updates and deletes it, auditing each step', async () => {
    const name = unique('policy');
    const created = await post({ name, passwordLength: 32, sshKeyType: 'ssh-ed25519', excludedChars: '"\'`' }).expect(201);
    expect(created.body).toMatchObject({
      name,
      passwordLength: 32,
      sshKeyType: 'ssh-ed25519',
      useSymbols: true,
      minDigits: 1,
      isDefault: false,
      accountCount: 0,
    });
    const id: string = created.body.id;
    await admin.agent.get(`/api/v1/policies/${id}`).expect(200);
    const updated = await patch(id, { pinLength: 8, checkoutExclusive: true, checkoutMaxMinutes: 60 }).expect(200);
    expect(updated.body).toMatchObject({ pinLength: 8, checkoutExclusive: true, checkoutMaxMinutes: 60, passwordLength: 32 });
    await admin.agent.delete(`/api/v1/policies/${id}`).set('X-CSRF-Token', admin.csrf).expect(204);
    await admin.agent.get(`/api/v1/policies/${id}`).expect(404);
    const events = await api.db.auditEvent.findMany({ where: { objectId: id }, orderBy: { seq: 'asc' } });
    expect(events.map((e) => e.action)).toEqual(['policy.create', 'policy.update', 'policy.delete']);
  });

  it('409 on a duplicate name', async () => {
    const name = unique('dup');
    await post({ name }).expect(201);
    expect((await post({ name }).expect(409)).body.code).toBe('ALREADY_EXISTS');
  });

  it('422 listing every issue, including rules across fields', async () => {
    const res = await post({ name: '', passwordLength: 4, pinLength: 40, sshKeyType: 'ssh-foo', extra: 1 }).expect(422);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.passwordLength', 'body.pinLength', 'body.sshKeyType']));
    const cross = await post({
      name: unique('x'),
      passwordLength: 8,
      minDigits: 5,
      minSymbols: 5,
      useLowercase: false,
      minLowercase: 1,
      sshKeyType: 'ssh-rsa',
      sshKeyBits: 1024,
    }).expect(422);
    expect(cross.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.minLowercase', 'body.passwordLength', 'body.sshKeyBits']);
  });

  it('checks cross-field rules against the merged policy on update, writing nothing when they fail', async () => {
    const created = await post({ name: unique('merge'), passwordLength: 10 }).expect(201);
    const res = await patch(created.body.id, { minDigits: 9 }).expect(422);
    expect(res.body.errors[0].path).toBe('body.passwordLength');
    expect((await admin.agent.get(`/api/v1/policies/${created.body.id}`).expect(200)).body.minDigits).toBe(1);
  });

  it('auditors and operators can read but not change policies', async () => {
    for (const role of ['auditor', 'operator'] as const) {
      const user = await loginAs(api, role);
      await user.agent.get('/api/v1/policies').expect(200);
      await user.agent
        .post('/api/v1/policies')
        .set('X-CSRF-Token', user.csrf)
        .send({ name: unique('no') })
        .expect(403);
    }
  });
});

/** A typed password of exactly `length` characters, with a lowercase, uppercase, digit and symbol. */
const typedPassword = (length: number) => `Ab1!${randomBytes(length).toString('hex')}`.slice(0, length);

/** An account (on a new target) following `policyId` (null: the default), with a typed password; returns its id. */
async function accountWithPassword(testApi: TestApi, session: LoggedIn, policyId: string | null, password = typedPassword(12)) {
  const account = await createAccount(testApi, undefined, { policyId });
  await as(session).post(`/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: password }).expect(201);
  return account.id;
}

async function complianceOf(session: LoggedIn, accountId: string) {
  return (await as(session).get(`/accounts/${accountId}`).expect(200)).body.compliance as string | null;
}

/** The `complianceReassessed` details of an object's audit events of `action`, oldest first. */
async function reassessments(testApi: TestApi, action: string, objectId: string) {
  const events = await testApi.db.auditEvent.findMany({ where: { action, objectId }, orderBy: { seq: 'asc' } });
  return events.map((e) => (e.details as { complianceReassessed?: unknown }).complianceReassessed ?? null);
}

describe('changing the rules re-assesses the compliance of the secrets they apply to', () => {
  it('tightening the minimum length makes a short typed password Noncompliant, loosening makes it Compliant again; accounts on other policies are untouched', async () => {
    const [policy, other] = await Promise.all([
      post({ name: unique('tightened'), passwordLength: 12 }).expect(201),
      post({ name: unique('other'), passwordLength: 12 }).expect(201),
    ]);
    const password = typedPassword(12);
    const [accountId, onOther] = await Promise.all([accountWithPassword(api, admin, policy.body.id, password), accountWithPassword(api, admin, other.body.id)]);
    expect(await complianceOf(admin, accountId)).toBe('Compliant');
    const otherBefore = await api.db.account.findUniqueOrThrow({ where: { id: onOther } });

    expect((await patch(policy.body.id, { passwordLength: 16 }).expect(200)).body).toMatchObject({ passwordLength: 16, accountCount: 1 });
    expect(await complianceOf(admin, accountId)).toBe('Noncompliant');
    const [credential] = (await as(admin).get(`/accounts/${accountId}/credentials`).expect(200)).body.items;
    expect(credential.current).toMatchObject({ version: 1, state: 'CURRENT', compliant: false });

    await patch(policy.body.id, { passwordLength: 12 }).expect(200);
    expect(await complianceOf(admin, accountId)).toBe('Compliant');
    // A change of something else than the rules has nothing to re-assess.
    await patch(policy.body.id, { checkoutMaxMinutes: 30, avoidAmbiguous: true }).expect(200);

    expect(await api.db.account.findUniqueOrThrow({ where: { id: onOther } })).toEqual(otherBefore);
    expect(await reassessments(api, 'policy.update', policy.body.id)).toEqual([
      { accounts: 1, changed: 1, unreadable: 0 },
      { accounts: 1, changed: 1, unreadable: 0 },
      null,
    ]);
    const trail = await api.db.auditEvent.findMany({ where: { objectId: policy.body.id }, select: { details: true } });
    expect(JSON.stringify(trail)).not.toContain(password);
  });

  it('moving an account to a stricter policy makes it Noncompliant in the answer to the move; moving it back, Compliant', async () => {
    const [lax, strict] = await Promise.all([
      post({ name: unique('lax'), passwordLength: 8 }).expect(201),
      post({ name: unique('strict'), passwordLength: 24 }).expect(201),
    ]);
    const accountId = await accountWithPassword(api, admin, lax.body.id);
    expect(await complianceOf(admin, accountId)).toBe('Compliant');
    expect((await as(admin).patch(`/accounts/${accountId}`, { policyId: strict.body.id }).expect(200)).body).toMatchObject({
      policyId: strict.body.id,
      compliance: 'Noncompliant',
    });
    expect((await as(admin).patch(`/accounts/${accountId}`, { policyId: lax.body.id }).expect(200)).body).toMatchObject({ compliance: 'Compliant' });
    await as(admin).patch(`/accounts/${accountId}`, { description: 'no policy change' }).expect(200);
    expect(await reassessments(api, 'account.update', accountId)).toEqual([
      { accounts: 1, changed: 1, unreadable: 0 },
      { accounts: 1, changed: 1, unreadable: 0 },
      null,
    ]);
  });

  it('an SSH key is judged by its type and size; a key of another type complies unless it is weak', async () => {
    const policy = await post({ name: unique('keys'), passwordLength: 12, sshKeyType: 'ssh-rsa' }).expect(201);
    const accountId = await accountWithPassword(api, admin, policy.body.id);
    const key = (
      await as(admin).post(`/accounts/${accountId}/credentials`, { type: 'SSH_KEY', generate: true, sshKeyType: 'ssh-rsa', sshKeyBits: 2048 }).expect(201)
    ).body;
    expect(key.current.compliant).toBe(true);
    expect(await complianceOf(admin, accountId)).toBe('Compliant');

    await patch(policy.body.id, { sshKeyBits: 4096 }).expect(200);
    expect(await complianceOf(admin, accountId)).toBe('Noncompliant');
    await patch(policy.body.id, { sshKeyType: 'ssh-ed25519', sshKeyBits: null }).expect(200);
    expect(await complianceOf(admin, accountId)).toBe('Compliant'); // a 2048-bit RSA key is not weak
    const versions = (await as(admin).get(`/credentials/${key.id}/versions`).expect(200)).body.items;
    expect(versions[0]).toMatchObject({ version: 1, compliant: true });
  });

  it('re-assesses all the accounts of a policy with 1,000 of them, page by page, in the transaction of the change', async () => {
    const policy = await post({ name: unique('crowded'), passwordLength: 12 }).expect(201);
    const target = await createTarget(api);
    // Written straight to the database: 1,000 accounts through the API would take most of a minute.
    const accounts = Array.from({ length: 1000 }, (_, i) => ({
      id: randomUUID(),
      targetId: target.id,
      username: `crowd${i}`,
      policyId: policy.body.id,
      compliance: 'Compliant' as const,
    }));
    const credentials = accounts.map((a) => ({ id: randomUUID(), accountId: a.id, type: 'PASSWORD' as const, slot: 'password' }));
    const material = {
      secret: typedPassword(12),
      origin: 'TYPED' as const,
      sshKeyType: null,
      publicKey: null,
      fingerprint: null,
      keyBits: null,
      weak: false,
      compliant: true,
    };
    await api.db.account.createMany({ data: accounts });
    await api.db.credential.createMany({ data: credentials });
    await api.db.credentialVersion.createMany({
      data: credentials.map((c) => ({
        credentialId: c.id,
        ...sealedVersion(api.vault, material, { credentialId: c.id, version: 1, state: 'CURRENT', createdById: null }),
      })),
    });

    await patch(policy.body.id, { passwordLength: 13 }).expect(200);
    expect(await api.db.account.groupBy({ by: ['compliance'], where: { policyId: policy.body.id }, _count: { _all: true } })).toEqual([
      { compliance: 'Noncompliant', _count: { _all: 1000 } },
    ]);
    expect(await api.db.credentialVersion.count({ where: { credentialId: { in: credentials.map((c) => c.id) }, compliant: false } })).toBe(1000);
    expect(await reassessments(api, 'policy.update', policy.body.id)).toEqual([{ accounts: 1000, changed: 1000, unreadable: 0 }]);
  });

  it('while the vault is sealed a change that must read secrets is refused (503) and nothing changes', async () => {
    const policy = await post({ name: unique('sealed'), passwordLength: 12 }).expect(201);
    const accountId = await accountWithPassword(api, admin, policy.body.id);
    const sealed = await createTestApi({ databaseUrl: api.databaseUrl, vault: testVault({ sealed: true }) });
    try {
      const sealedAdmin = await loginAs(sealed, 'admin');
      const refused = await as(sealedAdmin).patch(`/policies/${policy.body.id}`, { passwordLength: 16 }).expect(503);
      expect(refused.body.code).toBe('SEALED');
      // Rules that do not decide compliance can still change.
      await as(sealedAdmin).patch(`/policies/${policy.body.id}`, { checkoutMaxMinutes: 15 }).expect(200);
    } finally {
      await sealed.close();
    }
    expect((await as(admin).get(`/policies/${policy.body.id}`).expect(200)).body).toMatchObject({ passwordLength: 12, checkoutMaxMinutes: 15 });
    expect(await complianceOf(admin, accountId)).toBe('Compliant');
  });
});

describe('the default policy (in a database of its own: other test files read the shared default meanwhile)', () => {
  const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
  let databaseUrl: string | undefined;
  let own: TestApi;
  let ownAdmin: LoggedIn;
  beforeAll(async () => {
    databaseUrl = await createMigratedDatabase(adminUrl(), 'passman_policies');
    own = await createTestApi({ databaseUrl });
    ownAdmin = await loginAs(own, 'admin');
  });
  afterAll(async () => {
    await own?.close();
    if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
  });

  const defaultPolicy = async () =>
    (await as(ownAdmin).get('/policies?limit=200').expect(200)).body.items.find((p: { isDefault: boolean }) => p.isDefault) as {
      id: string;
      passwordLength: number;
    };

  it('keeps exactly one default: making another the default moves it; the default cannot be deleted or unset', async () => {
    const before = await defaultPolicy();
    await as(ownAdmin).patch(`/policies/${before.id}`, { isDefault: false }).expect(409);
    await as(ownAdmin).delete(`/policies/${before.id}`).expect(409);
    const next = await as(ownAdmin)
      .post('/policies', { name: unique('new-default'), isDefault: true })
      .expect(201);
    const all = (await as(ownAdmin).get('/policies?limit=200').expect(200)).body.items;
    expect(all.filter((p: { isDefault: boolean }) => p.isDefault).map((p: { id: string }) => p.id)).toEqual([next.body.id]);
    await as(ownAdmin).patch(`/policies/${before.id}`, { isDefault: true }).expect(200);
  });

  it('changing the default, or its rules, re-assesses the accounts without a policy of their own; deleting a policy re-assesses its accounts against the default', async () => {
    const original = await defaultPolicy();
    await as(ownAdmin).patch(`/policies/${original.id}`, { passwordLength: 20 }).expect(200);
    const following = await accountWithPassword(own, ownAdmin, null, typedPassword(16));
    const ownPolicy = await as(ownAdmin)
      .post('/policies', { name: unique('own'), passwordLength: 8 })
      .expect(201);
    const onOwn = await accountWithPassword(own, ownAdmin, ownPolicy.body.id, typedPassword(12));
    expect(await complianceOf(ownAdmin, following)).toBe('Noncompliant');

    await as(ownAdmin).patch(`/policies/${original.id}`, { passwordLength: 16 }).expect(200);
    expect(await complianceOf(ownAdmin, following)).toBe('Compliant');

    const stricter = await as(ownAdmin)
      .post('/policies', { name: unique('strict-default'), passwordLength: 24, isDefault: true })
      .expect(201);
    expect(await complianceOf(ownAdmin, following)).toBe('Noncompliant');
    expect(await reassessments(own, 'policy.create', stricter.body.id)).toEqual([{ accounts: 1, changed: 1, unreadable: 0 }]);

    await as(ownAdmin).patch(`/policies/${original.id}`, { isDefault: true }).expect(200);
    expect(await complianceOf(ownAdmin, following)).toBe('Compliant');
    expect(await complianceOf(ownAdmin, onOwn)).toBe('Compliant');

    // Its accounts fall back to the default (16): a 12-character password no longer complies.
    await as(ownAdmin).delete(`/policies/${ownPolicy.body.id}`).expect(204);
    expect((await as(ownAdmin).get(`/accounts/${onOwn}`).expect(200)).body).toMatchObject({ policyId: null, compliance: 'Noncompliant' });
    expect(await reassessments(own, 'policy.delete', ownPolicy.body.id)).toEqual([{ accounts: 1, changed: 1, unreadable: 0 }]);
    expect(await complianceOf(ownAdmin, following)).toBe('Compliant');
  });
});
