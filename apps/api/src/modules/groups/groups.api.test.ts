import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { suffix } from '../../test/ids.js';
import { createGroup, createUsers } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

interface GroupList {
  items: { id: string; name: string; memberCount: number }[];
}

const list = async (query: Record<string, string>, agent = admin.agent) =>
  ((await agent.get('/api/v1/groups').query(query).expect(200)).body as GroupList).items;

describe('GET /groups?q=', () => {
  it('matches a substring of the name whatever the case, by name, with each group’s member count', async () => {
    const m = suffix();
    const members = await createUsers(api, [{ username: `gm-${m}-1` }, { username: `gm-${m}-2` }]);
    const dbas = await createGroup(
      api,
      members.map((u) => u.id),
      { name: `DBAs ${m.toUpperCase()}` },
    );
    const admins = await createGroup(api, [members[0]!.id], { name: `Admins ${m}` });
    expect(await list({ q: m })).toEqual([
      expect.objectContaining({ id: admins.id, name: `Admins ${m}`, memberCount: 1 }),
      expect.objectContaining({ id: dbas.id, name: `DBAs ${m.toUpperCase()}`, memberCount: 2 }),
    ]);
    expect((await list({ q: `dbas ${m}` })).map((g) => g.id)).toEqual([dbas.id]);
    expect(await list({ q: `${m}-none` })).toEqual([]);
    // With the user filter: only the groups that user is in.
    expect((await list({ q: m, userId: members[1]!.id })).map((g) => g.id)).toEqual([dbas.id]);
  });

  it('takes %, _ and \\ as themselves, not as pattern characters', async () => {
    const m = suffix();
    const percent = await createGroup(api, [], { name: `${m} 50% off` });
    const digit = await createGroup(api, [], { name: `${m} 500 off` });
    const underscore = await createGroup(api, [], { name: `${m} a_b` });
    const letter = await createGroup(api, [], { name: `${m} axb` });
    const backslash = await createGroup(api, [], { name: `${m} c\\d` });
    const ids = async (q: string) => (await list({ q })).map((g) => g.id);
    expect(await ids(`${m} 50%`)).toEqual([percent.id]);
    expect(await ids(`${m} a_`)).toEqual([underscore.id]);
    expect(await ids(`${m} c\\`)).toEqual([backslash.id]);
    expect(await ids(`${m} 500`)).toEqual([digit.id]);
    expect(await ids(`${m} ax`)).toEqual([letter.id]);
  });

  it('answers 422 problem+json for a text that is not one line of at most 100 characters', async () => {
    for (const q of ['a\u0000b', 'tab\tbed', 'x'.repeat(101)]) {
      const res = await admin.agent.get('/api/v1/groups').query({ q }).expect(422);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.q']);
    }
    // The bytes of a lone surrogate (U+D800 in UTF-8, which no text holds) never reach the database as one:
    // the query string decodes them to text that simply matches nothing — never a 500.
    const lone = await admin.agent.get('/api/v1/groups?q=a%ED%A0%80b').expect(200);
    expect(lone.body.items).toEqual([]);
  });

  it('is for those who manage permissions, as before: operators search groups, auditors are refused', async () => {
    const m = suffix();
    const group = await createGroup(api, [], { name: `ops ${m}` });
    const operator = await loginAs(api, 'operator');
    expect((await list({ q: m }, operator.agent)).map((g) => g.id)).toEqual([group.id]);
    const auditor = await loginAs(api, 'auditor');
    await auditor.agent.get('/api/v1/groups').query({ q: m }).expect(403);
  });
});
