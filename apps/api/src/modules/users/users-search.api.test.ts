import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { suffix } from '../../test/ids.js';
import { createToken, createUsers } from '../../test/factories.js';
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

interface UserPage {
  items: { id: string; username: string; displayName: string }[];
  nextCursor: string | null;
}

const search = async (query: Record<string, string | number>, agent = admin.agent) =>
  (await agent.get('/api/v1/users').query(query).expect(200)).body as UserPage;

/** Every page of a search, in order. */
async function searchAll(q: string, limit?: number): Promise<UserPage['items'][]> {
  const pages: UserPage['items'][] = [];
  let cursor: string | null = null;
  do {
    const page = await search({ q, ...(limit ? { limit } : {}), ...(cursor ? { cursor } : {}) });
    pages.push(page.items);
    cursor = page.nextCursor;
  } while (cursor);
  return pages;
}

describe('GET /users?q=', () => {
  it('matches a substring of the username or of the display name, whatever the case', async () => {
    const m = suffix();
    const [byName, byDisplay] = await createUsers(api, [
      { username: `sr-${m}-alpha` },
      { username: `sr-other-${suffix()}`, displayName: `Ada ${m.toUpperCase()} Lovelace` },
    ]);
    const usernames = (q: string) => search({ q }).then((page) => page.items.map((u) => u.username));
    expect(await usernames(m)).toEqual([byName!.username, byDisplay!.username].sort());
    expect(await usernames(m.toUpperCase())).toEqual([byName!.username, byDisplay!.username].sort());
    expect(await usernames(`${m}-ALPHA`)).toEqual([byName!.username]);
    expect(await usernames(`ada ${m} lovelace`)).toEqual([byDisplay!.username]);
    // Surrounding spaces are not part of the text (the box's text is trimmed, as the API's rule says).
    expect(await usernames(`  ${m}-alpha `)).toEqual([byName!.username]);
    expect(await usernames(`${m}-nobody`)).toEqual([]);
  });

  it('takes %, _ and \\ as themselves, not as pattern characters', async () => {
    const m = suffix();
    const [underscore, letter, percent, digit, backslash, plain] = await createUsers(api, [
      { username: `lit-${m}_x` },
      { username: `lit-${m}yx` },
      { username: `lit-${m}-p1`, displayName: `${m} 50% off` },
      { username: `lit-${m}-p2`, displayName: `${m} 500 off` },
      { username: `lit-${m}-b1`, displayName: `${m} back\\slash` },
      { username: `lit-${m}-b2`, displayName: `${m} backslash` },
    ]);
    const ids = (q: string) => search({ q }).then((page) => page.items.map((u) => u.id));
    expect(await ids(`${m}_x`)).toEqual([underscore!.id]);
    expect(await ids(`${m} 50%`)).toEqual([percent!.id]);
    expect(await ids(`${m} back\\s`)).toEqual([backslash!.id]);
    expect(await ids(`${m}%`)).toEqual([]);
    expect(await ids(`${m}_`)).toEqual([underscore!.id]);
    // Without the pattern characters, each text finds what it says.
    expect(await ids(`${m}yx`)).toEqual([letter!.id]);
    expect(await ids(`${m} 500`)).toEqual([digit!.id]);
    expect(await ids(`${m} backs`)).toEqual([plain!.id]);
  });

  it('pages through more matches than a page holds, by username, each once, and nothing else', async () => {
    const m = suffix();
    // 55 match by username and 10 by display name only: more than the default page of 50.
    const made = await createUsers(api, [
      ...Array.from({ length: 55 }, (_, i) => ({ username: `pg-${m}-${String(i).padStart(2, '0')}` })),
      ...Array.from({ length: 10 }, (_, i) => ({ username: `pd-${suffix()}-${i}`, displayName: `Team ${m.toUpperCase()} ${i}` })),
    ]);
    const expected = made.map((u) => u.username).sort();

    const pages = await searchAll(m);
    expect(pages.map((p) => p.length)).toEqual([50, 15]);
    expect(pages.flat().map((u) => u.username)).toEqual(expected);

    const small = await searchAll(m.toUpperCase(), 7);
    expect(small).toHaveLength(10);
    expect(small.flat().map((u) => u.username)).toEqual(expected);

    // A cursor is a position: with another text it goes on from there.
    const first = await search({ q: m, limit: 20 });
    const rest = await search({ q: `pg-${m}`, cursor: first.nextCursor! });
    expect(rest.items.map((u) => u.username)).toEqual(expected.filter((u) => u.startsWith(`pg-${m}`) && u > first.items.at(-1)!.username));
    expect(rest.nextCursor).toBeNull();
  });

  it('answers 422 problem+json for a text that is not one line of at most 100 characters', async () => {
    for (const q of ['a\u0000b', 'a\u0001b', 'line\nbreak', 'x'.repeat(101), '   ']) {
      const res = await admin.agent.get('/api/v1/users').query({ q }).expect(422);
      expect(res.type).toBe('application/problem+json');
      expect(res.body.code).toBe('VALIDATION_FAILED');
      expect(res.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.q']);
    }
    // The bytes of a lone surrogate (U+D800 in UTF-8, which no text holds) never reach the database as one:
    // the query string decodes them to text that simply matches nothing — never a 500.
    const lone = await admin.agent.get('/api/v1/users?q=a%ED%A0%80b').expect(200);
    expect(lone.body.items).toEqual([]);
    await admin.agent
      .get('/api/v1/users')
      .query({ q: 'x'.repeat(100) })
      .expect(200);
  });

  it('is for those who manage users, as listing is: others are refused whatever they search', async () => {
    const m = suffix();
    await createUsers(api, [{ username: `hid-${m}` }]);
    for (const role of ['operator', 'auditor'] as const) {
      const { agent } = await loginAs(api, role);
      const res = await agent.get('/api/v1/users').query({ q: m }).expect(403);
      expect(res.type).toBe('application/problem+json');
      expect(JSON.stringify(res.body)).not.toContain(`hid-${m}`);
    }
    // An administrator's token without users.manage is refused too.
    const narrow = await createToken(api, admin, { scopes: ['accounts.view'] });
    await api.request().get('/api/v1/users').query({ q: m }).set('Authorization', `Bearer ${narrow.token}`).expect(403);
    const full = await createToken(api, admin, { scopes: ['users.manage'] });
    const found = (await api.request().get('/api/v1/users').query({ q: m }).set('Authorization', `Bearer ${full.token}`).expect(200)).body as UserPage;
    expect(found.items.map((u) => u.username)).toEqual([`hid-${m}`]);
  });
});
