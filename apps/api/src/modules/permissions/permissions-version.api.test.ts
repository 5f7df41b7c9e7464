import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { PermissionList } from '@passman/contracts';
import { createFolder, createUser, loginAs } from '../../test/factories.js';
import { createTestApi, type LoggedIn, type TestApi } from '../../test/harness.js';

// Two administrators editing the grants of one object from what each of them read: the second
// change is refused rather than silently dropping the first.

let api: TestApi;
let alice: LoggedIn;
let bob: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  alice = await loginAs(api, 'admin');
  bob = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

const read = async (who: LoggedIn, folderId: string) => (await who.agent.get(`/api/v1/folders/${folderId}/permissions`).expect(200)).body as PermissionList;
const put = (who: LoggedIn, folderId: string, body: object) =>
  who.agent.put(`/api/v1/folders/${folderId}/permissions`).set('X-CSRF-Token', who.csrf).send(body);

describe('the version of an object’s grants', () => {
  it('refuses a change made on grants that someone else has changed since: 409 EDIT_CONFLICT, nothing written, nothing audited', async () => {
    const folder = await createFolder(api);
    const [ops, dbas] = [await createUser(api, 'operator'), await createUser(api, 'operator')];
    const seenByAlice = await read(alice, folder.id);
    const seenByBob = await read(bob, folder.id);
    expect(seenByBob.version).toBe(seenByAlice.version);

    const grant = (id: string) => ({ principal: { type: 'user', id }, action: 'checkout', effect: 'ALLOW' });
    const afterAlice = (await put(alice, folder.id, { grants: [grant(ops.id)], expectedVersion: seenByAlice.version }).expect(200)).body as PermissionList;
    expect(afterAlice.version).not.toBe(seenByAlice.version);
    expect((await read(bob, folder.id)).version).toBe(afterAlice.version);

    const stale = await put(bob, folder.id, { grants: [grant(dbas.id)], expectedVersion: seenByBob.version }).expect(409);
    expect([stale.headers['content-type'], stale.body.code]).toEqual([expect.stringMatching(/application\/problem\+json/), 'EDIT_CONFLICT']);
    expect((await read(alice, folder.id)).grants.map((g) => g.principal.id)).toEqual([ops.id]);
    const trail = await api.db.auditEvent.count({ where: { action: 'permissions.set', objectId: folder.id } });
    expect(trail).toBe(1);

    // Made again on what is there now, the change goes through and keeps the first.
    await put(bob, folder.id, { grants: [grant(ops.id), grant(dbas.id)], expectedVersion: afterAlice.version }).expect(200);
    expect((await read(alice, folder.id)).grants.map((g) => g.principal.id).sort()).toEqual([ops.id, dbas.id].sort());
  });

  it('names equal sets alike, is optional, and is checked for its form', async () => {
    const [one, two] = [await createFolder(api), await createFolder(api)];
    expect((await read(alice, one.id)).version).toBe((await read(alice, two.id)).version);
    await put(alice, one.id, { grants: [] }).expect(200);
    const bad = await put(alice, one.id, { grants: [], expectedVersion: 'not a version' }).expect(422);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['body.expectedVersion']);
  });
});
