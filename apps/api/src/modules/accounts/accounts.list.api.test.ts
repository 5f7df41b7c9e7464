import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ACCOUNT_SORTS, type Account, type AccountSort } from '@passman/contracts';
import { createAccount, createTarget } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';

// Lists share the run's database with every other test file, so each test scopes its list
// to rows it made: a token in the target names, matched by `q`.

let api: TestApi;
let viewer: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  viewer = await loginAs(api, 'auditor');
});
afterAll(async () => {
  await api.close();
});

const token = () => `k${randomBytes(5).toString('hex')}`;
type Page = { items: Account[]; nextCursor: string | null };
const list = async (query: string, expected = 200) => (await viewer.agent.get(`/api/v1/accounts?${query}`).expect(expected)).body as Page;

/** Follows nextCursor to the end; returns every item in order and the number of pages. */
async function walk(query: string, between?: (page: number) => Promise<void>) {
  const items: Account[] = [];
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

/** Three targets named <token>-t1..3 with accounts of mixed status, check times (ties and never), names. */
async function estate(prefix = token()) {
  const names = ['root', 'admin', 'deploy', 'backup', 'svc1', 'zeta', 'alpha9', 'mike'];
  const statuses = ['InSync', 'NotInSync', 'Unknown'] as const;
  const times = [null, new Date('2026-10-01T00:00:00.000Z'), new Date('2026-10-02T00:00:00.000Z'), null, new Date('2026-10-01T00:00:00.000Z')];
  const targets = [];
  let n = 0;
  for (const suffix of ['t2', 't1', 't3']) {
    const target = await createTarget(api, { name: `${prefix}-${suffix}` });
    targets.push(target);
    for (const username of names) {
      await createAccount(api, target.id, {
        username: `${username}${suffix === 't3' ? 'x' : ''}`,
        status: statuses[n % 3],
        lastCheckedAt: times[n % times.length],
        // Some creation times tie, so the id must break the tie.
        createdAt: new Date(Date.UTC(2026, 9, 1, 0, 0, n % 5)),
      });
      n += 1;
    }
  }
  return { prefix, targets, count: n };
}

const STATUS_RANK = { InSync: 0, NotInSync: 1, Unknown: 2 };
const cmp = (a: string | number, b: string | number) => (a < b ? -1 : a > b ? 1 : 0);
const checkedKey = (a: Account) => (a.lastCheckedAt ? Date.parse(a.lastCheckedAt) : -Infinity);

/** The order each sort promises, written independently of the SQL. */
function expectedOrder(items: Account[], sort: AccountSort): string[] {
  const desc = sort.startsWith('-');
  const key = desc ? sort.slice(1) : sort;
  const compare = (a: Account, b: Account): number => {
    switch (key) {
      case 'username':
        return cmp(a.username, b.username) || cmp(a.id, b.id);
      case 'status':
        return cmp(STATUS_RANK[a.status], STATUS_RANK[b.status]) || cmp(a.username, b.username) || cmp(a.id, b.id);
      case 'lastCheckedAt':
        return cmp(checkedKey(a), checkedKey(b)) || cmp(a.id, b.id);
      case 'createdAt':
        return cmp(a.createdAt, b.createdAt) || cmp(a.id, b.id);
      default:
        return cmp(a.target.name, b.target.name) || cmp(a.username, b.username);
    }
  };
  return [...items].sort((a, b) => (desc ? -compare(a, b) : compare(a, b))).map((a) => a.id);
}

describe('GET /accounts keyset paging', () => {
  let e: Awaited<ReturnType<typeof estate>>;
  beforeAll(async () => {
    e = await estate();
  });

  it.each(ACCOUNT_SORTS)('walks every page sorted by %s, seeing each row exactly once in order', async (sort) => {
    const { items, pages } = await walk(`q=${e.prefix}&sort=${sort}&limit=5`);
    expect(pages).toBe(Math.ceil(e.count / 5));
    const ids = items.map((a) => a.id);
    expect(new Set(ids).size).toBe(e.count);
    expect(ids).toEqual(expectedOrder(items, sort));
  });

  it('puts never-checked accounts first for lastCheckedAt and last for -lastCheckedAt', async () => {
    const asc = (await list(`q=${e.prefix}&sort=lastCheckedAt&limit=200`)).items;
    const desc = (await list(`q=${e.prefix}&sort=-lastCheckedAt&limit=200`)).items;
    expect(asc[0]!.lastCheckedAt).toBeNull();
    expect(asc.at(-1)!.lastCheckedAt).toBe('2026-10-02T00:00:00.000Z');
    expect(desc[0]!.lastCheckedAt).toBe('2026-10-02T00:00:00.000Z');
    expect(desc.at(-1)!.lastCheckedAt).toBeNull();
  });

  it('defaults to 50 items sorted by username, with a cursor to the rest', async () => {
    // More rows than the default page, so the default limit is what cuts the page.
    const prefix = token();
    const target = await createTarget(api, { name: `${prefix}-many` });
    await api.db.account.createMany({
      data: Array.from({ length: 53 }, (_, i) => ({ targetId: target.id, username: `user${String((i * 37) % 53).padStart(2, '0')}` })),
    });
    const everything = (await list(`q=${prefix}&limit=200`)).items;
    expect(everything).toHaveLength(53);
    const order = expectedOrder(everything, 'username');

    const first = await list(`q=${prefix}`);
    expect(first.items.map((a) => a.id)).toEqual(order.slice(0, 50));
    expect(first.items[0]!.username).toBe('user00');
    expect(first.items.at(-1)!.username).toBe('user49');
    expect(first.nextCursor).toEqual(expect.any(String));
    const rest = await list(`q=${prefix}&cursor=${first.nextCursor}`);
    expect(rest.items.map((a) => a.id)).toEqual(order.slice(50));
    expect(rest.nextCursor).toBeNull();
  });

  it.each(['username', '-lastCheckedAt', 'target'] as const)('stays stable sorted by %s while rows are inserted between pages', async (sort) => {
    const s = await estate();
    const before = (await list(`q=${s.prefix}&sort=${sort}&limit=200`)).items.map((a) => a.id);
    const inserted: string[] = [];
    const { items } = await walk(`q=${s.prefix}&sort=${sort}&limit=4`, async (page) => {
      // Rows that sort before and after the position reached, on every page turn.
      for (const username of [`aaa${page}`, `zzz${page}`]) {
        const row = await createAccount(api, s.targets[page % 3]!.id, { username, lastCheckedAt: new Date(Date.UTC(2026, 9, 1, 12, page)) });
        inserted.push(row.id);
      }
    });
    const seen = items.map((a) => a.id);
    expect(new Set(seen).size).toBe(seen.length);
    expect(seen.filter((id) => before.includes(id))).toEqual(before);
    expect(seen.every((id) => before.includes(id) || inserted.includes(id))).toBe(true);
  });
});

describe('GET /accounts filters', () => {
  let e: Awaited<ReturnType<typeof estate>>;
  beforeAll(async () => {
    e = await estate();
  });

  it('filters by status', async () => {
    for (const status of ['InSync', 'NotInSync', 'Unknown'] as const) {
      const { items } = await list(`q=${e.prefix}&status=${status}&limit=200`);
      expect(items.length).toBe(8);
      expect(items.every((a) => a.status === status)).toBe(true);
    }
  });

  it('filters by target', async () => {
    const target = e.targets[0]!;
    const { items } = await list(`targetId=${target.id}&limit=200`);
    expect(items).toHaveLength(8);
    expect(items.every((a) => a.targetId === target.id && a.target.name === target.name)).toBe(true);
  });

  it('matches q case-insensitively against the username or the target name', async () => {
    const byTarget = await list(`q=${e.prefix.toUpperCase()}-T3&limit=200`);
    expect(byTarget.items).toHaveLength(8);
    expect(byTarget.items.every((a) => a.target.name === `${e.prefix}-t3`)).toBe(true);
    const own = await createAccount(api, e.targets[0]!.id, { username: `${e.prefix}_own` });
    const byUsername = await list(`q=${e.prefix.toUpperCase()}_OWN`);
    expect(byUsername.items.map((a) => a.id)).toEqual([own.id]);
    for (const sort of ['target', '-status']) {
      expect((await list(`q=${e.prefix}_own&sort=${sort}`)).items.map((a) => a.id)).toEqual([own.id]);
    }
  });

  it('treats % and _ in q as plain characters', async () => {
    expect((await list(`q=${e.prefix}_t1`)).items).toHaveLength(0);
    expect((await list(`q=${encodeURIComponent(`${e.prefix}%`)}`)).items).toHaveLength(0);
  });

  it('combines filters with a sort and pages through them', async () => {
    const { items } = await walk(`q=${e.prefix}-t2&status=NotInSync&sort=-lastCheckedAt&limit=1`);
    const all = (await list(`targetId=${e.targets[0]!.id}&limit=200`)).items.filter((a) => a.status === 'NotInSync');
    expect(items.map((a) => a.id)).toEqual(expectedOrder(all, '-lastCheckedAt'));
  });

  it('lists every invalid query parameter in one 422', async () => {
    const res = await viewer.agent.get('/api/v1/accounts?limit=0&status=Broken&sort=name&targetId=x&q=').expect(422);
    expect(res.body.errors.map((x: { path: string }) => x.path).sort()).toEqual(['query.limit', 'query.q', 'query.sort', 'query.status', 'query.targetId']);
    await viewer.agent.get('/api/v1/accounts?limit=201').expect(422);
  });
});

describe('the target name the lists filter and sort by', () => {
  it('follows a rename of the target at once, for q, the sort and the presentation', async () => {
    const e = await estate();
    const admin = await loginAs(api, 'admin');
    const renamed = `${token()}-renamed`;
    await admin.agent.patch(`/api/v1/targets/${e.targets[0]!.id}`).set('X-CSRF-Token', admin.csrf).send({ name: renamed }).expect(200);
    const byNew = await list(`q=${renamed}&sort=target&limit=200`);
    expect(byNew.items).toHaveLength(8);
    expect(byNew.items.every((a) => a.target.name === renamed)).toBe(true);
    expect((await list(`q=${e.prefix}-t2`)).items).toHaveLength(0);
    const row = await api.db.account.findFirstOrThrow({ where: { targetId: e.targets[0]!.id } });
    expect(row.targetName).toBe(renamed);
  });

  it('is set on every insert, whoever writes it, and cannot be overwritten', async () => {
    const target = await createTarget(api);
    const account = await api.db.account.create({ data: { targetId: target.id, username: 'direct', targetName: 'forged' } });
    expect(account.targetName).toBe(target.name);
    const updated = await api.db.account.update({ where: { id: account.id }, data: { targetName: 'forged' } });
    expect(updated.targetName).toBe(target.name);
  });

  it('leaves an unknown target to the foreign key', async () => {
    await expect(api.db.account.create({ data: { targetId: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c', username: 'orphan' } })).rejects.toMatchObject({
      code: 'P2003',
    });
  });
});

describe('cursors', () => {
  it('refuses a cursor of another sort, another list, or a forged one with 400 INVALID_CURSOR', async () => {
    const e = await estate();
    const page = await list(`q=${e.prefix}&sort=username&limit=2`);
    const forged = (key: unknown[]) => Buffer.from(JSON.stringify(key)).toString('base64url');
    const targetsCursor = ((await viewer.agent.get('/api/v1/targets?limit=1').expect(200)).body as Page).nextCursor;
    const bad = [
      `sort=-username&cursor=${page.nextCursor}`,
      `sort=status&cursor=${page.nextCursor}`,
      `cursor=${targetsCursor}`,
      `cursor=${forged(['accounts:username', 5, 'not-a-uuid'])}`,
      `sort=lastCheckedAt&cursor=${forged(['accounts:lastCheckedAt', 'yesterday', '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c'])}`,
      `sort=status&cursor=${forged(['accounts:status', 'Broken', 'a', '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c'])}`,
      'cursor=bm90LWpzb24',
    ];
    for (const query of bad) {
      const res = await viewer.agent.get(`/api/v1/accounts?${query}`).expect(400);
      expect(res.body.code).toBe('INVALID_CURSOR');
    }
    expect((await viewer.agent.get('/api/v1/accounts?cursor=not%20base64!').expect(422)).body.code).toBe('VALIDATION_FAILED');
  });

  it('is opaque: the same cursor works with other filters on the same sort', async () => {
    const e = await estate();
    const first = await list(`q=${e.prefix}&sort=createdAt&limit=3`);
    const next = await list(`q=${e.prefix}&status=InSync&sort=createdAt&limit=3&cursor=${first.nextCursor}`);
    expect(next.items.every((a) => a.status === 'InSync')).toBe(true);
  });
});
