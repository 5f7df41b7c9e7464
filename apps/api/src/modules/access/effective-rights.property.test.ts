import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { grantsAllow, type GrantEffect, type VaultAction } from '@passman/contracts';
import fc from 'fast-check';
import { createAccount, createFolder, createGrant, createGroup, createTarget, createUser } from '../../test/factories.js';
import { createTestApi, type TestApi } from '../../test/harness.js';
import { createAccessRepo } from './access.repo.js';

// The database's answer to "may this user do this on this account?" (the SQL of access.repo,
// which every list and check uses) against a reference model a few lines long, on random trees,
// grants and group memberships; and the same answer given by a user's reach (reach.ts), which
// lists filter with and take their rows' rights from.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const ACTIONS: VaultAction[] = ['view', 'reset'];

interface Model {
  /** parent[i]: the index of folder i's parent (-1: the test's own top folder). */
  parents: number[];
  /** Each target's folder; each account's target. */
  targetFolder: number[];
  accountTarget: number[];
  /** Which of the 2 groups the user is in. */
  inGroup: boolean[];
  grants: { level: 'folder' | 'target' | 'account'; index: number; principal: 'user' | 0 | 1; action: VaultAction; effect: GrantEffect }[];
}

const modelArb = fc
  .record({ folders: fc.integer({ min: 1, max: 6 }), targets: fc.integer({ min: 1, max: 4 }), accounts: fc.integer({ min: 1, max: 5 }) })
  .chain(({ folders, targets, accounts }) =>
    fc.record({
      parents: fc.tuple(...Array.from({ length: folders }, (_, i) => fc.integer({ min: -1, max: i - 1 }))),
      targetFolder: fc.array(fc.integer({ min: 0, max: folders - 1 }), { minLength: targets, maxLength: targets }),
      accountTarget: fc.array(fc.integer({ min: 0, max: targets - 1 }), { minLength: accounts, maxLength: accounts }),
      inGroup: fc.tuple(fc.boolean(), fc.boolean()),
      grants: fc.array(
        fc
          .oneof(
            fc.record({ level: fc.constant('folder' as const), index: fc.integer({ min: 0, max: folders - 1 }) }),
            fc.record({ level: fc.constant('target' as const), index: fc.integer({ min: 0, max: targets - 1 }) }),
            fc.record({ level: fc.constant('account' as const), index: fc.integer({ min: 0, max: accounts - 1 }) }),
          )
          .chain((object) =>
            fc.record({
              level: fc.constant(object.level),
              index: fc.constant(object.index),
              principal: fc.constantFrom('user' as const, 0 as const, 1 as const),
              action: fc.constantFrom(...ACTIONS),
              effect: fc.constantFrom('ALLOW' as const, 'DENY' as const),
            }),
          ),
        { maxLength: 12 },
      ),
    }),
  );

/** The reference: the grants reaching the user (theirs, their groups') on the account, its target and every folder above; DENY wins. */
function modelAllows(m: Model, account: number, action: VaultAction): boolean {
  const target = m.accountTarget[account]!;
  const folders = new Set<number>();
  for (let f = m.targetFolder[target]!; f !== -1; f = m.parents[f]!) folders.add(f);
  const reachesUser = (p: 'user' | 0 | 1) => p === 'user' || m.inGroup[p];
  const onPath = (g: Model['grants'][number]) =>
    (g.level === 'account' && g.index === account) || (g.level === 'target' && g.index === target) || (g.level === 'folder' && folders.has(g.index));
  return grantsAllow(m.grants.filter((g) => g.action === action && reachesUser(g.principal) && onPath(g)).map((g) => g.effect));
}

describe('effective rights computed by the database', () => {
  it('match the reference model on random trees, grants and memberships', async () => {
    const repo = createAccessRepo(api.db);
    await fc.assert(
      fc.asyncProperty(modelArb, async (m) => {
        const top = await createFolder(api);
        const folders: string[] = [];
        for (const parent of m.parents) folders.push((await createFolder(api, { parentId: parent === -1 ? top.id : folders[parent]! })).id);
        const targets: string[] = [];
        for (const f of m.targetFolder) targets.push((await createTarget(api, { folderId: folders[f]! })).id);
        const accounts: string[] = [];
        for (const t of m.accountTarget) accounts.push((await createAccount(api, targets[t]!)).id);
        const user = await createUser(api, 'operator', { vaultRights: 'none' });
        const groups = [await createGroup(api, m.inGroup[0] ? [user.id] : []), await createGroup(api, m.inGroup[1] ? [user.id] : [])];
        const seen = new Set<string>();
        const kept: Model['grants'] = [];
        for (const g of m.grants) {
          const objectId = (g.level === 'folder' ? folders : g.level === 'target' ? targets : accounts)[g.index]!;
          const principal = g.principal === 'user' ? { type: 'user' as const, id: user.id } : { type: 'group' as const, id: groups[g.principal]!.id };
          const key = `${objectId}:${principal.id}:${g.action}`;
          if (seen.has(key)) continue; // one grant per object, principal and action: the first one drawn stands
          seen.add(key);
          kept.push(g);
          await createGrant(api, { object: { type: g.level, id: objectId }, principal, action: g.action, effect: g.effect });
        }
        const model = { ...m, grants: kept };
        const reach = await repo.reachOf(user.id);
        const withReach = { kind: 'user' as const, userId: user.id, reach };
        for (const action of ACTIONS) {
          const filtered = await repo.accountsRights(withReach, accounts, action);
          const rows = await repo.accountsRights({ kind: 'user', userId: user.id }, accounts, action);
          for (const [i, id] of accounts.entries()) {
            const row = rows.find((r) => r.id === id)!;
            expect({ account: i, action, allowed: row.allowed }).toEqual({ account: i, action, allowed: modelAllows(model, i, action) });
            const found = (await repo.objectRights({ kind: 'user', userId: user.id }, 'account', id))!;
            expect(found.tree.includes(action)).toBe(row.allowed);
            expect(filtered.find((r) => r.id === id)!.allowed).toBe(row.allowed);
            const path = { folderId: folders[m.targetFolder[m.accountTarget[i]!]!]!, targetId: targets[m.accountTarget[i]!]!, accountId: id };
            expect(reach.rightsOf(path).includes(action)).toBe(row.allowed);
          }
        }
      }),
      { numRuns: 40 },
    );
    // Forty random vaults, each built through the factories: more than the default 30 s on a busy machine.
  }, 180_000);
});
