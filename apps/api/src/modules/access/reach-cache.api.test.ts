import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMigratedDatabase, dropDatabase } from '@passman/testkit';
import { createAccount, createFolder, createGrant, createGroup, createTarget, createUser, loginWith, type LoggedIn } from '../../test/factories.js';
import { createTestApi, type TestApi } from '../../test/harness.js';
import { createReach } from './reach.js';
import { createReachCache } from './reach-cache.js';
import { createAccessService } from './access.service.js';
import type { AccessRepo } from './access.repo.js';
import type { Actor } from '../../lib/actor.js';

// A list's reach is kept between requests only while the access epoch stands. These tests change
// grants, memberships and the tree behind the API's back (straight in the database, as another
// process would) and through a second API on the same database, and expect the very next list to
// show the change. The epoch is one value for the whole database, so this file has its own:
// other files' grants would move it between this file's readings.

const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
let databaseUrl: string | undefined;
let api: TestApi;
let other: TestApi;
beforeAll(async () => {
  databaseUrl = await createMigratedDatabase(adminUrl(), 'passman_reach');
  api = await createTestApi({ databaseUrl });
  other = await createTestApi({ databaseUrl });
});
afterAll(async () => {
  await other?.close();
  await api?.close();
  if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
});

/** Every account the user's list shows (a test's operator sees a handful). */
const accountIdsOf = async (who: LoggedIn) =>
  ((await who.agent.get('/api/v1/accounts?limit=200').expect(200)).body.items as { id: string }[]).map((a) => a.id).sort();

async function operatorIn(folderId: string) {
  const user = await createUser(api, 'operator', { vaultRights: 'none' });
  await createGrant(api, { object: { type: 'folder', id: folderId }, principal: { type: 'user', id: user.id }, action: 'view' });
  return { user, session: await loginWith(api, user) };
}

describe("a list's reach, kept between requests", () => {
  it('counts a grant revoked or denied in the database from the next request on', async () => {
    const folder = await createFolder(api);
    const account = await createAccount(api, (await createTarget(api, { folderId: folder.id })).id);
    const { user, session } = await operatorIn(folder.id);
    expect(await accountIdsOf(session)).toEqual([account.id]);
    expect(await accountIdsOf(session)).toEqual([account.id]);

    await createGrant(api, { object: { type: 'account', id: account.id }, principal: { type: 'user', id: user.id }, action: 'view', effect: 'DENY' });
    expect(await accountIdsOf(session)).toEqual([]);
    await api.db.grant.deleteMany({ where: { userId: user.id } });
    expect(await accountIdsOf(session)).toEqual([]);
  });

  it('counts a membership, and a folder made below a granted one, from the next request on', async () => {
    const folder = await createFolder(api);
    const { user, session } = await operatorIn((await createFolder(api)).id);
    const group = await createGroup(api);
    await createGrant(api, { object: { type: 'folder', id: folder.id }, principal: { type: 'group', id: group.id }, action: 'view' });
    expect(await accountIdsOf(session)).toEqual([]);

    await api.db.userGroupMember.create({ data: { groupId: group.id, userId: user.id } });
    const first = await createAccount(api, (await createTarget(api, { folderId: folder.id })).id);
    expect(await accountIdsOf(session)).toEqual([first.id]);

    // A new subfolder is reached through the closure: the tree's shape is part of the reach.
    const sub = await createFolder(api, { parentId: folder.id });
    const second = await createAccount(api, (await createTarget(api, { folderId: sub.id })).id);
    expect(await accountIdsOf(session)).toEqual([first.id, second.id].sort());

    await api.db.userGroupMember.delete({ where: { groupId_userId: { groupId: group.id, userId: user.id } } });
    expect(await accountIdsOf(session)).toEqual([]);
  });

  it("counts a grant revoked in the database on the targets' list from the next request on", async () => {
    const folder = await createFolder(api);
    const target = await createTarget(api, { folderId: folder.id });
    const { user, session } = await operatorIn(folder.id);
    const targetIdsOf = async () => ((await session.agent.get('/api/v1/targets?limit=200').expect(200)).body.items as { id: string }[]).map((t) => t.id);
    expect(await targetIdsOf()).toEqual([target.id]);
    expect(await targetIdsOf()).toEqual([target.id]);
    await api.db.grant.deleteMany({ where: { userId: user.id } });
    expect(await targetIdsOf()).toEqual([]);
    await createGrant(api, { object: { type: 'target', id: target.id }, principal: { type: 'user', id: user.id }, action: 'view' });
    expect(await targetIdsOf()).toEqual([target.id]);
  });

  it('counts a change made through another PassMan process from the next request on', async () => {
    const folder = await createFolder(api);
    const account = await createAccount(api, (await createTarget(api, { folderId: folder.id })).id);
    const { user, session } = await operatorIn(folder.id);
    expect(await accountIdsOf(session)).toEqual([account.id]);

    const admin = await loginWith(other, await createUser(other, 'admin'));
    await admin.agent
      .put(`/api/v1/folders/${folder.id}/permissions`)
      .set('X-CSRF-Token', admin.csrf)
      .send({ grants: [{ principal: { type: 'user', id: user.id }, action: 'view', effect: 'DENY' }] })
      .expect(200);
    expect(await accountIdsOf(session)).toEqual([]);
  });

  it('moves the epoch once per changing transaction, to a value it never had, and not for a statement that changed nothing', async () => {
    const epoch = async () => (await api.db.accessEpoch.findUniqueOrThrow({ where: { id: 1 } })).value;
    const before = await epoch();
    await api.db.grant.deleteMany({ where: { id: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c' } });
    expect(await epoch()).toBe(before);
    const folder = await createFolder(api);
    const user = await createUser(api, 'operator', { vaultRights: 'none' });
    const afterFolder = await epoch();
    expect(afterFolder).not.toBe(before);
    // Within one transaction the second change leaves the value the first one set.
    const seen = await api.db.$transaction(async (tx) => {
      const read = async () => (await tx.accessEpoch.findUniqueOrThrow({ where: { id: 1 } })).value;
      await tx.grant.create({ data: { folderId: folder.id, userId: user.id, action: 'view', effect: 'ALLOW' } });
      const first = await read();
      await tx.grant.create({ data: { folderId: folder.id, userId: user.id, action: 'check', effect: 'ALLOW' } });
      return [first, await read()];
    });
    expect(seen[0]).not.toBe(afterFolder);
    expect(seen[1]).toBe(seen[0]);
    expect(await epoch()).toBe(seen[0]);

    // Set back in time, as a restore or a failover that lost the last commits would, then changed
    // once more: the value is not the one the lost change had given (a counter would repeat it).
    await api.db.accessEpoch.update({ where: { id: 1 }, data: { value: afterFolder } });
    await createGrant(api, { object: { type: 'folder', id: folder.id }, principal: { type: 'user', id: user.id }, action: 'reset' });
    const again = await epoch();
    expect(again).not.toBe(afterFolder);
    expect(again).not.toBe(seen[0]);
    expect(again).toBeGreaterThanOrEqual(0n);
  });
});

describe('the reach cache', () => {
  const reach = createReach([]);
  it('reads again when the epoch moved, and forgets the least recently used past its size', async () => {
    const cache = createReachCache(2);
    let reads = 0;
    const read = async () => {
      reads += 1;
      return reach;
    };
    let epoch = 1n;
    const at = async () => epoch;
    await cache.reachOf('a', at, read);
    await cache.reachOf('a', at, read);
    expect(reads).toBe(1);
    epoch = 2n;
    await cache.reachOf('a', at, read);
    expect(reads).toBe(2);
    await cache.reachOf('b', at, read);
    await cache.reachOf('a', at, read);
    await cache.reachOf('c', at, read);
    expect(cache.size).toBe(2);
    expect(reads).toBe(4);
    await cache.reachOf('a', at, read);
    expect(reads).toBe(4);
    await cache.reachOf('b', at, read);
    expect(reads).toBe(5);
  });

  it('keeps at most so many object ids in all, the least recently used going first, and never a reach larger than that', async () => {
    const reachOf = (n: number) => createReach([{ action: 'view', effect: 'ALLOW', level: 'folder', ids: Array.from({ length: n }, (_, i) => `f-${n}-${i}`) }]);
    const cache = createReachCache(100, 5);
    const at = async () => 1n;
    await cache.reachOf('a', at, async () => reachOf(3));
    await cache.reachOf('b', at, async () => reachOf(2));
    expect([cache.size, cache.idCount]).toEqual([2, 5]);
    await cache.reachOf('c', at, async () => reachOf(2)); // a (3 ids) goes, b stays
    expect([cache.size, cache.idCount]).toEqual([2, 4]);
    expect(cache.kept('a')).toBeUndefined();
    expect(cache.kept('b')?.reach.size).toBe(2);
    await cache.reachOf('d', at, async () => reachOf(6)); // used, not kept
    expect(cache.kept('d')).toBeUndefined();
    expect([cache.size, cache.idCount]).toEqual([2, 4]);
  });

  it("counts one user's reach once when two of their requests read it at the same time", async () => {
    const reachOf = (n: number) => createReach([{ action: 'view', effect: 'ALLOW', level: 'folder', ids: Array.from({ length: n }, (_, i) => `f-${n}-${i}`) }]);
    const cache = createReachCache(100, 10);
    const at = async () => 1n;
    // Both miss, both read, both keep: the second replaces the first.
    await Promise.all([cache.reachOf('a', at, async () => reachOf(3)), cache.reachOf('a', at, async () => reachOf(4))]);
    expect(cache.size).toBe(1);
    expect(cache.idCount).toBe(cache.kept('a')!.reach.size);
    // Pushed out by others, it leaves the count at what the others hold.
    await cache.reachOf('b', at, async () => reachOf(5));
    await cache.reachOf('c', at, async () => reachOf(5));
    expect([cache.size, cache.idCount]).toEqual([2, 10]);
  });

  it('lets a list with a kept reach read the epoch in its own query, and reads again when it moved', async () => {
    const calls = { epoch: 0, reach: 0, list: 0 };
    let epoch = 1n;
    const repo = {
      accessEpoch: async () => ((calls.epoch += 1), epoch),
      reachOf: async () => ((calls.reach += 1), createReach([])),
    } as unknown as AccessRepo;
    const access = createAccessService({ repo });
    const actor = { userId: 'u1', role: 'operator', permissions: new Set<string>() } as unknown as Actor;
    const list = () =>
      access.listWithReach(actor, async (scope) => {
        calls.list += 1;
        if (scope.kind !== 'user' || !scope.reach) throw new Error('a list runs with the reach');
        return { value: calls.list, accessEpoch: epoch };
      });

    await list(); // nothing kept: the epoch, the reach, the list
    expect(calls).toEqual({ epoch: 1, reach: 1, list: 1 });
    await list(); // kept, and the list's own snapshot says the epoch stands: one query
    expect(calls).toEqual({ epoch: 1, reach: 1, list: 2 });
    epoch = 2n; // the list's snapshot says it moved: read again, with a fresh reach
    expect(await list()).toBe(4);
    expect(calls).toEqual({ epoch: 2, reach: 2, list: 4 });
  });
});
