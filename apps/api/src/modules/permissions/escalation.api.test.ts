import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import pg from 'pg';
import type { VaultAction } from '@passman/contracts';
import { createAccount, createCredential, createFolder, createGrant, createGroup, createTarget, createUser, loginAs, loginWith } from '../../test/factories.js';
import { createTestApi, type LoggedIn, type TestApi } from '../../test/harness.js';
import { waitUntil } from '../../test/wait-until.js';

// Someone trusted with part of the tree trying to get more than they were given: by changing
// grants, by moving what a DENY protects, through groups, with a narrow token, racing a move.

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

/** An operator with `allowed` on a folder Team, and DENY checkout on Team/Prod holding an account with a password. */
async function contractor(allowed: VaultAction[]) {
  const root = await api.services.access.rootFolderId();
  const team = await createFolder(api);
  const prod = await createFolder(api, { parentId: team.id });
  const target = await createTarget(api, { folderId: prod.id });
  const account = await createAccount(api, target.id);
  await createCredential(api, account.id);
  const user = await createUser(api, 'operator', { vaultRights: 'none' });
  const me = { type: 'user' as const, id: user.id };
  for (const action of allowed) await createGrant(api, { object: { type: 'folder', id: team.id }, principal: me, action });
  await createGrant(api, { object: { type: 'folder', id: prod.id }, principal: me, action: 'checkout', effect: 'DENY' });
  const session = await loginWith(api, user);
  const send = (method: 'put' | 'patch' | 'delete' | 'post', path: string, body?: object) =>
    session.agent[method](`/api/v1${path}`).set('X-CSRF-Token', session.csrf).send(body);
  return { root, team, prod, target, account, user, session, send };
}

const checkout = (c: Awaited<ReturnType<typeof contractor>>) => c.send('post', `/accounts/${c.account.id}/checkout`, {});

describe('manage_permissions', () => {
  it('cannot lift a DENY that keeps its holder out, nor grant themselves more; it can grant others', async () => {
    const c = await contractor(['view', 'checkout', 'manage_permissions']);
    await checkout(c).expect(403);
    const lifted = await c.send('put', `/folders/${c.prod.id}/permissions`, { grants: [] }).expect(403);
    expect(lifted.body.widened).toEqual(['checkout']);
    expect(await api.db.grant.count({ where: { folderId: c.prod.id, effect: 'DENY' } })).toBe(1);
    await c
      .send('put', `/accounts/${c.account.id}/permissions`, { grants: [{ principal: { type: 'user', id: c.user.id }, action: 'reset', effect: 'ALLOW' }] })
      .expect(403);
    // Through a group of theirs, the same.
    const mine = await createGroup(api, [c.user.id]);
    await c
      .send('put', `/accounts/${c.account.id}/permissions`, { grants: [{ principal: { type: 'group', id: mine.id }, action: 'reset', effect: 'ALLOW' }] })
      .expect(403);
    // An ALLOW that the DENY above still overrules widens nothing, so it may be made, and changes nothing.
    await c
      .send('put', `/accounts/${c.account.id}/permissions`, { grants: [{ principal: { type: 'group', id: mine.id }, action: 'checkout', effect: 'ALLOW' }] })
      .expect(200);
    await checkout(c).expect(403);
    const colleague = await createUser(api, 'operator', { vaultRights: 'none' });
    await c
      .send('put', `/accounts/${c.account.id}/permissions`, { grants: [{ principal: { type: 'user', id: colleague.id }, action: 'check', effect: 'ALLOW' }] })
      .expect(200);
  });
});

describe('moving', () => {
  it('a target out from under its DENY is refused, and it stays', async () => {
    const c = await contractor(['view', 'checkout', 'manage']);
    await c.send('patch', `/targets/${c.target.id}`, { folderId: c.team.id }).expect(403);
    expect((await api.db.target.findUniqueOrThrow({ where: { id: c.target.id } })).folderId).toBe(c.prod.id);
    await checkout(c).expect(403);
  });

  it('a folder out from under its DENY, or up by deleting its parent with content=move, is refused', async () => {
    const c = await contractor(['view', 'checkout', 'manage']);
    const inner = await createFolder(api, { parentId: c.prod.id });
    await createTarget(api, { folderId: inner.id });
    await c.send('patch', `/folders/${inner.id}`, { parentId: c.team.id }).expect(403);
    await c.send('delete', `/folders/${c.prod.id}?content=move`).expect(403);
    expect(await api.db.folder.count({ where: { id: c.prod.id } })).toBe(1);
    expect((await api.db.folder.findUniqueOrThrow({ where: { id: inner.id } })).parentId).toBe(c.prod.id);
  });

  it('a folder under one where its mover may do more is refused; a move that widens nothing goes through', async () => {
    const c = await contractor(['view', 'manage']);
    const open = await createFolder(api, { parentId: c.team.id });
    await createGrant(api, { object: { type: 'folder', id: open.id }, principal: { type: 'user', id: c.user.id }, action: 'checkout' });
    const plain = await createFolder(api, { parentId: c.team.id });
    await createTarget(api, { folderId: plain.id });
    await c.send('patch', `/folders/${plain.id}`, { parentId: open.id }).expect(403);
    const sibling = await createFolder(api, { parentId: c.team.id });
    await c.send('patch', `/folders/${plain.id}`, { parentId: sibling.id }).expect(200);
  });
});

describe('groups and tokens', () => {
  it('a token scoped to managing users cannot change a group’s members: that would hand out vault rights', async () => {
    const group = await createGroup(api);
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const token = (
      await admin.agent
        .post('/api/v1/tokens')
        .set('X-CSRF-Token', admin.csrf)
        .send({ name: 'hr-sync', scopes: ['users.manage'] })
        .expect(201)
    ).body.token as string;
    const res = await api.request().put(`/api/v1/groups/${group.id}/members/${user.id}`).set('Authorization', `Bearer ${token}`).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await api.request().delete(`/api/v1/groups/${group.id}`).set('Authorization', `Bearer ${token}`).expect(403);
    expect(await api.db.userGroupMember.count({ where: { groupId: group.id } })).toBe(0);
  });
});

describe('checking in', () => {
  it('is open to the holder whose rights were taken away meanwhile', async () => {
    const folder = await createFolder(api);
    const account = await createAccount(api, (await createTarget(api, { folderId: folder.id })).id);
    await createCredential(api, account.id);
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    for (const action of ['view', 'checkout'] as const) {
      await createGrant(api, { object: { type: 'folder', id: folder.id }, principal: { type: 'user', id: user.id }, action });
    }
    const op = await loginWith(api, user);
    await op.agent.post(`/api/v1/accounts/${account.id}/checkout`).set('X-CSRF-Token', op.csrf).send({}).expect(200);
    await api.db.grant.deleteMany({ where: { userId: user.id } });
    await op.agent.post(`/api/v1/accounts/${account.id}/checkin`).set('X-CSRF-Token', op.csrf).expect(200);
    expect((await api.db.account.findUniqueOrThrow({ where: { id: account.id } })).checkedOutById).toBeNull();
  });
});

describe('the managing account', () => {
  it('is not shown to one who may not see it, and cannot be chosen by one who may not manage it', async () => {
    const folder = await createFolder(api);
    const target = await createTarget(api, { folderId: folder.id });
    const root = await createAccount(api, target.id);
    const own = await createAccount(api, target.id);
    await api.db.target.update({ where: { id: target.id }, data: { managingAccountId: root.id } });
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const me = { type: 'user' as const, id: user.id };
    for (const action of ['view', 'manage'] as const) await createGrant(api, { object: { type: 'target', id: target.id }, principal: me, action });
    await createGrant(api, { object: { type: 'account', id: root.id }, principal: me, action: 'view', effect: 'DENY' });
    const op = await loginWith(api, user);
    const seen = (await op.agent.get(`/api/v1/targets/${target.id}`).expect(200)).body;
    expect(seen.managingAccount).toBeNull();
    await createGrant(api, { object: { type: 'account', id: own.id }, principal: me, action: 'manage', effect: 'DENY' });
    const res = await op.agent.patch(`/api/v1/targets/${target.id}`).set('X-CSRF-Token', op.csrf).send({ managingAccountId: own.id }).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });
});

describe('the closure of the tree', () => {
  it('stays exact when a folder is created under a folder whose ancestor is being moved', async () => {
    const from = await createFolder(api);
    const to = await createFolder(api);
    const moving = await createFolder(api, { parentId: from.id });
    const below = await createFolder(api, { parentId: moving.id });
    // Two connections, so the move is still uncommitted while the create runs: the create must
    // wait for it, then copy the ancestors the move left, not the ones it replaced.
    const [mover, creator] = [new pg.Client(process.env.PASSMAN_TEST_DATABASE_URL), new pg.Client(process.env.PASSMAN_TEST_DATABASE_URL)];
    await Promise.all([mover.connect(), creator.connect()]);
    try {
      await mover.query('BEGIN');
      await mover.query('UPDATE folders SET parent_id = $1 WHERE id = $2', [to.id, moving.id]);
      const created = creator.query(`INSERT INTO folders (id, parent_id, name, updated_at) VALUES (gen_random_uuid(), $1, 'late', now()) RETURNING id`, [
        below.id,
      ]);
      // Commit the move only once the create is inside the database and waiting on a lock (it must: the move holds what it needs).
      const creatorPid = (creator as unknown as { processID: number }).processID;
      const waiting = async () =>
        (await api.db.$queryRaw<{ waiting: boolean }[]>`SELECT wait_event_type = 'Lock' AS waiting FROM pg_stat_activity WHERE pid = ${creatorPid}`)[0]
          ?.waiting === true;
      await waitUntil(waiting, 'the create waits for the move');
      await mover.query('COMMIT');
      const lateId = (await created).rows[0].id as string;
      const ancestors = await api.db.folderClosure.findMany({ where: { descendantId: lateId }, orderBy: { depth: 'asc' } });
      expect(ancestors.map((a) => a.ancestorId).slice(0, 4)).toEqual([lateId, below.id, moving.id, to.id]);
      expect(ancestors.some((a) => a.ancestorId === from.id)).toBe(false);
    } finally {
      await Promise.all([mover.end(), creator.end()]);
    }
  });
});
