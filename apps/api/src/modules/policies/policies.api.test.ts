import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createTestApi, loginAs, unique, type LoggedIn, type TestApi } from '../../test/harness.js';

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

const post = (body: object) => admin.agent.post('/api/v1/policies').set('X-CSRF-Token', admin.csrf).send(body);
const patch = (id: string, body: object) => admin.agent.patch(`/api/v1/policies/${id}`).set('X-CSRF-Token', admin.csrf).send(body);

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
    expect(created.body).toMatchObject({ name, passwordLength: 32, sshKeyType: 'ssh-ed25519', useSymbols: true, minDigits: 1, isDefault: false, accountCount: 0 });
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

  it('400 listing every issue, including rules across fields', async () => {
    const res = await post({ name: '', passwordLength: 4, pinLength: 40, sshKeyType: 'ssh-foo', extra: 1 }).expect(400);
    const paths = res.body.errors.map((e: { path: string }) => e.path);
    expect(paths).toEqual(expect.arrayContaining(['body.name', 'body.passwordLength', 'body.pinLength', 'body.sshKeyType']));
    const cross = await post({ name: unique('x'), passwordLength: 8, minDigits: 5, minSymbols: 5, useLowercase: false, minLowercase: 1, sshKeyType: 'ssh-rsa', sshKeyBits: 1024 }).expect(400);
    expect(cross.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['body.minLowercase', 'body.passwordLength', 'body.sshKeyBits']);
  });

  it('checks cross-field rules against the merged policy on update, writing nothing when they fail', async () => {
    const created = await post({ name: unique('merge'), passwordLength: 10 }).expect(201);
    const res = await patch(created.body.id, { minDigits: 9 }).expect(400);
    expect(res.body.errors[0].path).toBe('body.passwordLength');
    expect((await admin.agent.get(`/api/v1/policies/${created.body.id}`).expect(200)).body.minDigits).toBe(1);
  });

  it('keeps exactly one default: making another the default moves it; the default cannot be deleted or unset', async () => {
    const before = (await admin.agent.get('/api/v1/policies?limit=200').expect(200)).body.items.find((p: { isDefault: boolean }) => p.isDefault);
    await patch(before.id, { isDefault: false }).expect(409);
    await admin.agent.delete(`/api/v1/policies/${before.id}`).set('X-CSRF-Token', admin.csrf).expect(409);
    const next = await post({ name: unique('new-default'), isDefault: true }).expect(201);
    const all = (await admin.agent.get('/api/v1/policies?limit=200').expect(200)).body.items;
    expect(all.filter((p: { isDefault: boolean }) => p.isDefault).map((p: { id: string }) => p.id)).toEqual([next.body.id]);
    await patch(before.id, { isDefault: true }).expect(200); // restore for other tests
  });

  it('auditors and operators can read but not change policies', async () => {
    for (const role of ['auditor', 'operator'] as const) {
      const user = await loginAs(api, role);
      await user.agent.get('/api/v1/policies').expect(200);
      await user.agent.post('/api/v1/policies').set('X-CSRF-Token', user.csrf).send({ name: unique('no') }).expect(403);
    }
  });
});
