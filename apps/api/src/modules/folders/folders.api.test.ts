import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount, createFolder, createGrant, createGroup, createTarget, createUser, loginAs, loginWith } from '../../test/factories.js';
import { createTestApi, type LoggedIn, type TestApi } from '../../test/harness.js';
import { unique } from '../../test/ids.js';

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

const post = (path: string, body: object) => admin.agent.post(`/api/v1${path}`).set('X-CSRF-Token', admin.csrf).send(body);
const patch = (path: string, body: object) => admin.agent.patch(`/api/v1${path}`).set('X-CSRF-Token', admin.csrf).send(body);
const del = (path: string) => admin.agent.delete(`/api/v1${path}`).set('X-CSRF-Token', admin.csrf);
const eventsOf = (objectId: string) => api.db.auditEvent.findMany({ where: { objectId }, orderBy: { seq: 'asc' } });

describe('folders', () => {
  it('are created under a parent, with their path, and audited', async () => {
    const top = (await post('/folders', { name: unique('ops') }).expect(201)).body;
    const sub = (await post('/folders', { name: 'db', parentId: top.id }).expect(201)).body;
    const root = (await admin.agent.get('/api/v1/vault').expect(200)).body;
    expect(top.parentId).toBe(root.id);
    expect(sub.path.map((p: { id: string }) => p.id)).toEqual([root.id, top.id]);
    expect(sub.depth).toBe(2);
    expect((await eventsOf(sub.id)).map((e) => [e.action, e.details])).toEqual([['folder.create', { name: 'db', parentId: top.id }]]);
    // A name is unique among siblings only.
    expect((await post('/folders', { name: 'db', parentId: top.id }).expect(409)).body.code).toBe('ALREADY_EXISTS');
  });

  it('count what lies in them: folders and targets directly, accounts anywhere below', async () => {
    const top = await createFolder(api);
    const sub = await createFolder(api, { parentId: top.id });
    const target = await createTarget(api, { folderId: sub.id });
    await createAccount(api, target.id);
    await createAccount(api, target.id);
    const got = (await admin.agent.get(`/api/v1/folders/${top.id}`).expect(200)).body;
    expect(got.counts).toEqual({ folders: 1, targets: 0, accounts: 2 });
  });

  it('move with everything below them; a move into itself or below is refused, nothing changed', async () => {
    const a = await createFolder(api);
    const b = await createFolder(api, { parentId: a.id });
    const c = await createFolder(api);
    const target = await createTarget(api, { folderId: b.id });
    const account = await createAccount(api, target.id);
    await patch(`/folders/${a.id}`, { parentId: c.id }).expect(200);
    // The target's accounts follow: filtered by the new ancestor, recursively.
    const inC = (await admin.agent.get(`/api/v1/accounts?folderId=${c.id}`).expect(200)).body.items.map((x: { id: string }) => x.id);
    expect(inC).toEqual([account.id]);
    expect((await admin.agent.get(`/api/v1/accounts?folderId=${c.id}&recursive=false`).expect(200)).body.items).toEqual([]);
    const cycle = await patch(`/folders/${c.id}`, { parentId: b.id }).expect(422);
    expect(cycle.body.errors[0].path).toBe('body.parentId');
    expect((await api.db.folder.findUniqueOrThrow({ where: { id: c.id } })).parentId).not.toBe(b.id);
    const moves = (await eventsOf(a.id)).filter((e) => e.action === 'folder.move');
    expect(moves.map((e) => e.details)).toEqual([{ name: a.name, before: { parentId: a.parentId }, after: { parentId: c.id } }]);
  });

  it('two moves racing to make a cycle: one of them is refused', async () => {
    const x = await createFolder(api);
    const y = await createFolder(api);
    const results = await Promise.all([patch(`/folders/${x.id}`, { parentId: y.id }), patch(`/folders/${y.id}`, { parentId: x.id })]);
    expect(results.map((r) => r.status).sort()).toEqual([200, 422]);
    const rows = await api.db.folder.findMany({ where: { id: { in: [x.id, y.id] } } });
    expect(rows.filter((r) => r.parentId === x.id || r.parentId === y.id)).toHaveLength(1);
  });

  it('that are not empty are deleted only when told what happens to their content', async () => {
    const parent = await createFolder(api);
    const full = await createFolder(api, { parentId: parent.id });
    const child = await createFolder(api, { parentId: full.id });
    const target = await createTarget(api, { folderId: full.id });
    expect((await del(`/folders/${full.id}`).expect(409)).body.code).toBe('CONFLICT');
    await del(`/folders/${full.id}?content=move`).expect(204);
    expect((await api.db.folder.findUniqueOrThrow({ where: { id: child.id } })).parentId).toBe(parent.id);
    expect((await api.db.target.findUniqueOrThrow({ where: { id: target.id } })).folderId).toBe(parent.id);
    const doomed = await createFolder(api);
    const inner = await createFolder(api, { parentId: doomed.id });
    const lost = await createTarget(api, { folderId: inner.id });
    await createAccount(api, lost.id);
    await del(`/folders/${doomed.id}?content=delete`).expect(204);
    expect(await api.db.target.count({ where: { id: lost.id } })).toBe(0);
    const [event] = (await eventsOf(doomed.id)).filter((e) => e.action === 'folder.delete');
    expect(event!.details).toMatchObject({ content: 'delete', deleted: { folders: 1, targets: 1, accounts: 1 } });
  });

  it('the root is renamed through /vault and is never moved or deleted', async () => {
    const root = (await admin.agent.get('/api/v1/vault').expect(200)).body;
    const before = root.name;
    const renamed = (await patch('/vault', { name: 'Acme Corp' }).expect(200)).body;
    expect(renamed).toMatchObject({ id: root.id, name: 'Acme Corp', parentId: null });
    await patch('/vault', { name: before }).expect(200);
    expect((await del(`/folders/${root.id}?content=delete`).expect(422)).body.code).toBe('UNPROCESSABLE');
    const other = await createFolder(api);
    expect((await patch(`/folders/${root.id}`, { parentId: other.id }).expect(422)).body.code).toBe('UNPROCESSABLE');
  });

  it('an operator manages only below the folders where they may manage; others’ folders are 404', async () => {
    const mine = await createFolder(api);
    const theirs = await createFolder(api);
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    await createGrant(api, { object: { type: 'folder', id: mine.id }, principal: { type: 'user', id: user.id }, action: 'view' });
    await createGrant(api, { object: { type: 'folder', id: mine.id }, principal: { type: 'user', id: user.id }, action: 'manage' });
    const op = await loginWith(api, user);
    const send = (method: 'post' | 'patch', path: string, body: object) => op.agent[method](`/api/v1${path}`).set('X-CSRF-Token', op.csrf).send(body);
    await send('post', '/folders', { name: 'sub', parentId: mine.id }).expect(201);
    await send('post', '/folders', { name: 'sub', parentId: theirs.id }).expect(404);
    await send('post', '/targets', { name: unique('t'), address: '192.0.2.10', folderId: mine.id }).expect(201);
    await send('post', '/targets', { name: unique('t'), address: '192.0.2.10' }).expect(403); // the root: seen on the way, not managed
    await send('patch', `/folders/${mine.id}`, { parentId: theirs.id }).expect(404);
    const tree = (await op.agent.get('/api/v1/folders').expect(200)).body.items.map((f: { id: string }) => f.id);
    expect(tree).toContain(mine.id);
    expect(tree).not.toContain(theirs.id);
  });
});

describe('hostile input', () => {
  it.each([
    ['a NUL', '\u0000db'],
    ['a lone surrogate', '\ud800'],
    ['a slash', '/db'],
    ['a name of 201 characters', 'x'.repeat(190)],
  ])('a folder or group name with %s is 422, and nothing is stored', async (_what, rest) => {
    const prefix = unique('hostile');
    const name = `${prefix}${rest}`;
    expect((await post('/folders', { name }).expect(422)).body.code).toBe('VALIDATION_FAILED');
    if (!rest.includes('/')) expect((await post('/groups', { name }).expect(422)).body.code).toBe('VALIDATION_FAILED');
    // Looked up by the clean prefix: a NUL cannot even be sent to PostgreSQL as a query parameter.
    expect(await api.db.folder.count({ where: { name: { startsWith: prefix } } })).toBe(0);
    expect(await api.db.userGroup.count({ where: { name: { startsWith: prefix } } })).toBe(0);
  });

  it('more grants than an object may carry, or one repeated, is 422 and changes nothing', async () => {
    const folder = await createFolder(api);
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const grant = { principal: { type: 'user', id: user.id }, action: 'view', effect: 'ALLOW' };
    const put = (grants: object[]) => admin.agent.put(`/api/v1/folders/${folder.id}/permissions`).set('X-CSRF-Token', admin.csrf).send({ grants });
    await put(Array.from({ length: 501 }, () => grant)).expect(422);
    await put([grant, { ...grant, effect: 'DENY' }]).expect(422);
    expect(await api.db.grant.count({ where: { folderId: folder.id } })).toBe(0);
  });

  it('two replacements of one object’s grants racing: the grants end as one of them wrote them, never a mix', async () => {
    const folder = await createFolder(api);
    const [a, b] = [await createUser(api, 'operator', { vaultRights: 'none' }), await createUser(api, 'operator', { vaultRights: 'none' })];
    const grantsOf = (userId: string) =>
      (['view', 'check', 'reset'] as const).map((action) => ({ principal: { type: 'user', id: userId }, action, effect: 'ALLOW' }));
    const put = (grants: object[]) => admin.agent.put(`/api/v1/folders/${folder.id}/permissions`).set('X-CSRF-Token', admin.csrf).send({ grants });
    const results = await Promise.all([put(grantsOf(a.id)), put(grantsOf(b.id))]);
    expect(results.map((r) => r.status)).toEqual([200, 200]);
    const holders = new Set((await api.db.grant.findMany({ where: { folderId: folder.id } })).map((g) => g.userId));
    expect(holders.size).toBe(1);
    expect(await api.db.grant.count({ where: { folderId: folder.id } })).toBe(3);
  });
});

describe('deleting what a DENY protects', () => {
  it('is refused for a folder or target holding objects the caller may not manage, and nothing is deleted', async () => {
    const top = await createFolder(api);
    const guarded = await createFolder(api, { parentId: top.id });
    const target = await createTarget(api, { folderId: top.id });
    const account = await createAccount(api, target.id);
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const me = { type: 'user' as const, id: user.id };
    for (const action of ['view', 'manage'] as const) await createGrant(api, { object: { type: 'folder', id: top.id }, principal: me, action });
    await createGrant(api, { object: { type: 'folder', id: guarded.id }, principal: me, action: 'manage', effect: 'DENY' });
    await createGrant(api, { object: { type: 'account', id: account.id }, principal: me, action: 'manage', effect: 'DENY' });
    const op = await loginWith(api, user);
    const remove = (path: string) => op.agent.delete(`/api/v1${path}`).set('X-CSRF-Token', op.csrf);
    expect((await remove(`/folders/${top.id}?content=delete`).expect(403)).body.code).toBe('FORBIDDEN');
    await remove(`/folders/${top.id}?content=move`).expect(403);
    await remove(`/targets/${target.id}`).expect(403);
    expect(await api.db.folder.count({ where: { id: { in: [top.id, guarded.id] } } })).toBe(2);
    expect(await api.db.account.count({ where: { id: account.id } })).toBe(1);
    // Once the DENYs are lifted, the same requests go through.
    await api.db.grant.deleteMany({ where: { userId: user.id, effect: 'DENY' } });
    await remove(`/targets/${target.id}`).expect(204);
    await remove(`/folders/${top.id}?content=delete`).expect(204);
  });
});

describe('groups', () => {
  it('gain and lose members, audited with before and after, and a membership counts from the next request', async () => {
    const group = (await post('/groups', { name: unique('dba') }).expect(201)).body;
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const folder = await createFolder(api);
    const account = await createAccount(api, (await createTarget(api, { folderId: folder.id })).id);
    await createGrant(api, { object: { type: 'folder', id: folder.id }, principal: { type: 'group', id: group.id }, action: 'view' });
    const op = await loginWith(api, user);
    // A second API beside the first, as a second process would be: no cache between them.
    const other = await createTestApi();
    try {
      const otherSession = await loginWith(other, user);
      await op.agent.get(`/api/v1/accounts/${account.id}`).expect(404);
      await admin.agent.put(`/api/v1/groups/${group.id}/members/${user.id}`).set('X-CSRF-Token', admin.csrf).expect(204);
      await otherSession.agent.get(`/api/v1/accounts/${account.id}`).expect(200);
      const detail = (await admin.agent.get(`/api/v1/groups/${group.id}`).expect(200)).body;
      expect(detail.members.map((m: { id: string }) => m.id)).toEqual([user.id]);
      await admin.agent.delete(`/api/v1/groups/${group.id}/members/${user.id}`).set('X-CSRF-Token', admin.csrf).expect(204);
      await otherSession.agent.get(`/api/v1/accounts/${account.id}`).expect(404);
    } finally {
      await other.close();
    }
    const actions = (await eventsOf(group.id)).map((e) => [e.action, (e.details as { after?: unknown }).after]);
    expect(actions).toEqual([
      ['group.create', undefined],
      ['group.member.add', { member: true }],
      ['group.member.remove', { member: false }],
    ]);
  });

  it('a folder moved out of reach is out of reach on the next request of another API process', async () => {
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const shared = await createFolder(api);
    const elsewhere = await createFolder(api);
    const moved = await createFolder(api, { parentId: shared.id });
    const account = await createAccount(api, (await createTarget(api, { folderId: moved.id })).id);
    await createGrant(api, { object: { type: 'folder', id: shared.id }, principal: { type: 'user', id: user.id }, action: 'view' });
    const other = await createTestApi();
    try {
      const there = await loginWith(other, user);
      await there.agent.get(`/api/v1/accounts/${account.id}`).expect(200);
      await patch(`/folders/${moved.id}`, { parentId: elsewhere.id }).expect(200);
      await there.agent.get(`/api/v1/accounts/${account.id}`).expect(404);
      await patch(`/folders/${moved.id}`, { parentId: shared.id }).expect(200);
      await there.agent.get(`/api/v1/accounts/${account.id}`).expect(200);
    } finally {
      await other.close();
    }
  });

  it('deleting a group takes away the rights it gave', async () => {
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const group = await createGroup(api, [user.id]);
    const account = await createAccount(api);
    await createGrant(api, { object: { type: 'account', id: account.id }, principal: { type: 'group', id: group.id }, action: 'view' });
    const op = await loginWith(api, user);
    await op.agent.get(`/api/v1/accounts/${account.id}`).expect(200);
    await del(`/groups/${group.id}`).expect(204);
    await op.agent.get(`/api/v1/accounts/${account.id}`).expect(404);
    expect(await api.db.grant.count({ where: { groupId: group.id } })).toBe(0);
  });
});

describe('permissions', () => {
  it('PUT replaces the direct grants, audited as granted and revoked; GET shows them; effective explains each right', async () => {
    const folder = await createFolder(api);
    const target = await createTarget(api, { folderId: folder.id });
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const group = await createGroup(api, [user.id]);
    const put = (path: string, grants: object[]) => admin.agent.put(`/api/v1${path}`).set('X-CSRF-Token', admin.csrf).send({ grants });
    await put(`/folders/${folder.id}/permissions`, [
      { principal: { type: 'group', id: group.id }, action: 'view', effect: 'ALLOW' },
      { principal: { type: 'group', id: group.id }, action: 'reset', effect: 'ALLOW' },
    ]).expect(200);
    const direct = (await put(`/targets/${target.id}/permissions`, [{ principal: { type: 'user', id: user.id }, action: 'reset', effect: 'DENY' }]).expect(200))
      .body;
    expect(direct.grants).toHaveLength(1);
    expect(direct.grants[0]).toMatchObject({ principal: { type: 'user', id: user.id, name: user.username }, action: 'reset', effect: 'DENY' });

    const effective = (await admin.agent.get(`/api/v1/targets/${target.id}/permissions/effective`).expect(200)).body;
    const forUser = effective.principals.find((p: { principal: { id: string } }) => p.principal.id === user.id);
    const right = (action: string) => forUser.rights.find((r: { action: string }) => r.action === action);
    expect(right('view')).toMatchObject({ allowed: true, from: [{ effect: 'ALLOW', inherited: true, via: { type: 'group', id: group.id } }] });
    expect(right('reset').allowed).toBe(false);
    expect(
      right('reset')
        .from.map((f: { effect: string; inherited: boolean }) => [f.effect, f.inherited])
        .sort(),
    ).toEqual([
      ['ALLOW', true],
      ['DENY', false],
    ]);

    await put(`/targets/${target.id}/permissions`, []).expect(200);
    const events = (await eventsOf(target.id)).filter((e) => e.action === 'permissions.set');
    expect(events.map((e) => [(e.details as { granted: unknown[] }).granted.length, (e.details as { revoked: unknown[] }).revoked.length])).toEqual([
      [1, 0],
      [0, 1],
    ]);
  });

  it('refuses grants to users or groups that do not exist, naming each, and stores none', async () => {
    const folder = await createFolder(api);
    const res = await admin.agent
      .put(`/api/v1/folders/${folder.id}/permissions`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ grants: [{ principal: { type: 'group', id: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c' }, action: 'view', effect: 'ALLOW' }] })
      .expect(422);
    expect(res.body.errors[0].path).toBe('body.grants.0.principal.id');
    expect(await api.db.grant.count({ where: { folderId: folder.id } })).toBe(0);
  });
});
