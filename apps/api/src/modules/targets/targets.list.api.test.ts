import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { TARGET_SORTS, type Target, type TargetSort } from '@passman/contracts';
import { createAccount, createTarget } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';

let api: TestApi;
let viewer: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  viewer = await loginAs(api, 'auditor');
});
afterAll(async () => {
  await api.close();
});

type Page = { items: Target[]; nextCursor: string | null };
const list = async (query: string) => (await viewer.agent.get(`/api/v1/targets?${query}`).expect(200)).body as Page;

async function walk(query: string, between?: (page: number) => Promise<void>) {
  const items: Target[] = [];
  let cursor: string | null = null;
  let pages = 0;
  do {
    const page: Page = await list(`${query}${cursor ? `&cursor=${cursor}` : ''}`);
    items.push(...page.items);
    cursor = page.nextCursor;
    pages += 1;
    if (between) await between(pages);
  } while (cursor);
  return { items, pages };
}

const cmp = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);
function expectedOrder(items: Target[], sort: TargetSort): string[] {
  const desc = sort.startsWith('-');
  const compare = (a: Target, b: Target) => (sort.endsWith('name') ? cmp(a.name, b.name) : cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id));
  return [...items].sort((a, b) => (desc ? -compare(a, b) : compare(a, b))).map((t) => t.id);
}

describe('GET /targets', () => {
  let prefix: string;
  let tag: string;
  beforeAll(async () => {
    prefix = `k${randomBytes(5).toString('hex')}`;
    tag = `tag-${prefix}`;
    for (let i = 0; i < 11; i += 1) {
      await createTarget(api, {
        name: `${prefix}-${String((i * 7) % 11).padStart(2, '0')}`,
        address: `10.9.${i}.1`,
        tags: i % 2 === 0 ? [tag, 'even'] : ['odd'],
        createdAt: new Date(Date.UTC(2026, 9, 1, 0, 0, i % 4)),
      });
    }
  });

  it.each(TARGET_SORTS)('walks every page sorted by %s, seeing each target once in order', async (sort) => {
    const { items, pages } = await walk(`q=${prefix}&sort=${sort}&limit=3`);
    expect(pages).toBe(4);
    expect(new Set(items.map((t) => t.id)).size).toBe(11);
    expect(items.map((t) => t.id)).toEqual(expectedOrder(items, sort));
  });

  it('stays stable while targets are inserted between pages', async () => {
    const before = (await list(`q=${prefix}&limit=200`)).items.map((t) => t.id);
    const inserted: string[] = [];
    const { items } = await walk(`q=${prefix}&limit=2`, async (page) => {
      for (const name of [`${prefix}-00a${page}`, `${prefix}-99z${page}`]) inserted.push((await createTarget(api, { name })).id);
    });
    const seen = items.map((t) => t.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);
    expect(seen.every((id) => before.includes(id) || inserted.includes(id))).toBe(true);
  });

  it('filters by tag and by text in the name or the address', async () => {
    const tagged = await list(`tag=${tag}&limit=200`);
    expect(tagged.items).toHaveLength(6);
    expect(tagged.items.every((t) => t.tags.includes(tag))).toBe(true);
    const byAddress = await list(`q=10.9.3.1&limit=200`);
    expect(byAddress.items.map((t) => t.address)).toEqual(['10.9.3.1']);
    const both = await list(`q=${prefix.toUpperCase()}-0&tag=${tag}`);
    expect(both.items.every((t) => t.name.startsWith(`${prefix}-0`) && t.tags.includes(tag))).toBe(true);
  });

  it('shows each target’s account count in the list', async () => {
    const target = await createTarget(api, { name: `${prefix}-counted` });
    await createAccount(api, target.id);
    await createAccount(api, target.id);
    const { items } = await list(`q=${prefix}-counted`);
    expect(items).toEqual([expect.objectContaining({ id: target.id, accountCount: 2, hostKeys: [] })]);
  });

  it('pages past a 200-character non-ASCII name (the cursor carries it)', async () => {
    const long = `${prefix}-${'漢'.repeat(199 - prefix.length)}`;
    expect(long).toHaveLength(200);
    const a = await createTarget(api, { name: `${long.slice(0, -1)}a` });
    const b = await createTarget(api, { name: `${long.slice(0, -1)}b` });
    await createAccount(api, a.id, { username: 'root' });
    await createAccount(api, b.id, { username: 'root' });
    const { items } = await walk(`q=${encodeURIComponent(long.slice(0, 40))}&sort=-name&limit=1`);
    expect(items.map((t) => t.id)).toEqual([b.id, a.id]);
    const accounts = [];
    let cursor: string | null = null;
    do {
      const res = await viewer.agent
        .get(`/api/v1/accounts?q=${encodeURIComponent(long.slice(0, 40))}&sort=target&limit=1${cursor ? `&cursor=${cursor}` : ''}`)
        .expect(200);
      accounts.push(...(res.body.items as { targetId: string }[]));
      cursor = res.body.nextCursor as string | null;
    } while (cursor);
    expect(accounts.map((x) => x.targetId)).toEqual([a.id, b.id]);
  });

  it('refuses bad parameters and foreign cursors', async () => {
    const res = await viewer.agent.get('/api/v1/targets?sort=address&limit=-1&tag=').expect(422);
    expect(res.body.errors.map((e: { path: string }) => e.path).sort()).toEqual(['query.limit', 'query.sort', 'query.tag']);
    const page = await list(`q=${prefix}&sort=name&limit=1`);
    expect((await viewer.agent.get(`/api/v1/targets?sort=createdAt&cursor=${page.nextCursor}`).expect(400)).body.code).toBe('INVALID_CURSOR');
    expect((await viewer.agent.get(`/api/v1/targets?sort=-name&cursor=${page.nextCursor}`).expect(400)).body.code).toBe('INVALID_CURSOR');
    expect((await viewer.agent.get(`/api/v1/accounts?cursor=${page.nextCursor}`).expect(400)).body.code).toBe('INVALID_CURSOR');
  });
});
