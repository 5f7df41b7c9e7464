import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Alert } from '@passman/contracts';
import { createMigratedDatabase, dropDatabase } from '@passman/testkit';
import { createLogger } from '../../lib/logger.js';
import { createAccount, createFolder, createGrant, createTarget, createUser, loginWith } from '../../test/factories.js';
import { bearerFor, createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client } from '../jobs/jobs.test-util.js';
import { createWebhooksRepo } from '../webhooks/index.js';
import { createAlertEngine, createAlertsRepo, DEFAULT_ALERT_ENGINE_OPTIONS } from './index.js';

// The alerts API as its readers use it: pages and filters, the bell's count, reading (per
// person), and what each kind of caller may see. The alerts come from accounts whose status is
// set in the database (their rules are driven against real hosts in alert-rules.api.test.ts).
// In a database of its own: the unread count is every alert a reader may see, and other test
// files open alerts in the shared one meanwhile.

const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
let databaseUrl: string | undefined;
let pm: TestApi;
let admin: LoggedIn;
let folderId: string;
let accountIds: string[];
let targetId: string;

beforeAll(async () => {
  databaseUrl = await createMigratedDatabase(adminUrl(), 'passman_alerts');
  pm = await createTestApi({ databaseUrl });
  admin = await loginAs(pm, 'admin');
  folderId = (await createFolder(pm)).id;
  const target = await createTarget(pm, { folderId });
  targetId = target.id;
  accountIds = [];
  for (let i = 0; i < 3; i++) accountIds.push((await createAccount(pm, target.id, { status: 'NotInSync', statusReason: 'UNREACHABLE' })).id);
  const engine = createAlertEngine(
    { repo: createAlertsRepo(pm.db), webhooks: createWebhooksRepo(pm.db), logger: createLogger({ level: 'silent' }) },
    DEFAULT_ALERT_ENGINE_OPTIONS,
  );
  const { opened } = await engine.evaluate({ kind: 'accounts', accountIds });
  expect(opened).toHaveLength(3);
});
afterAll(async () => {
  await pm?.close();
  if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
});

const mine = (alerts: Alert[]) => alerts.filter((a) => accountIds.includes(a.object.id));
const page = async (session: LoggedIn, query: string) =>
  (await session.agent.get(`/api/v1/alerts?${query}`).expect(200)).body as { items: Alert[]; nextCursor: string | null };

describe('listing alerts', () => {
  it('pages newest first with a cursor, and filters by account, rule and state', async () => {
    const first = await page(admin, `accountId=${accountIds[0]}&rule=not_in_sync&state=open&limit=1`);
    expect(first.items.map((a) => [a.object.id, a.rule, a.state])).toEqual([[accountIds[0], 'not_in_sync', 'open']]);
    expect(first.nextCursor).toBeNull();
    // The target's three alerts over two pages, newest first, none twice.
    const one = await page(admin, `targetId=${targetId}&limit=2`);
    expect(one.items).toHaveLength(2);
    expect(one.nextCursor).toEqual(expect.any(String));
    const two = await page(admin, `targetId=${targetId}&limit=2&cursor=${one.nextCursor}`);
    expect(two).toMatchObject({ nextCursor: null });
    const all = [...one.items, ...two.items];
    expect(all.map((a) => a.object.id).sort()).toEqual([...accountIds].sort());
    const order = all.map((a) => `${a.openedAt}|${a.id}`);
    expect(order).toEqual([...order].sort().reverse());
    expect((await page(admin, `accountId=${accountIds[0]}&state=resolved`)).items).toEqual([]);
  });

  it('answers a forged cursor or a bad filter with a 4xx problem, never a 500', async () => {
    expect((await admin.agent.get('/api/v1/alerts?cursor=not-a-cursor').expect(400)).body.code).toBe('INVALID_CURSOR');
    expect((await admin.agent.get('/api/v1/alerts?rule=everything').expect(422)).body.code).toBe('VALIDATION_FAILED');
    expect((await admin.agent.get('/api/v1/alerts?accountId=1%27%20OR%201=1').expect(422)).body.code).toBe('VALIDATION_FAILED');
    expect((await admin.agent.get('/api/v1/alerts/not-a-uuid').expect(422)).body.code).toBe('VALIDATION_FAILED');
  });
});

describe('reading alerts', () => {
  it('is per person: marking read lowers only the reader’s count and unread list', async () => {
    const a = await loginAs(pm, 'admin');
    const b = await loginAs(pm, 'admin');
    const count = async (s: LoggedIn) => (await s.agent.get('/api/v1/alerts/unread-count').expect(200)).body.count as number;
    const [aBefore, bBefore] = [await count(a), await count(b)];
    // This database holds this file's three alerts and nothing else.
    expect([aBefore, bBefore]).toEqual([3, 3]);
    expect(mine((await page(a, 'unread=true&limit=200')).items)).toHaveLength(3);

    await client(a)
      .post(`/alerts/${mine((await page(a, 'limit=200')).items)[0]!.id}/acknowledge`)
      .expect(200);
    expect(await count(a)).toBe(aBefore - 1);
    expect(mine((await page(a, 'unread=true&limit=200')).items)).toHaveLength(2);
    expect(await count(b)).toBe(bBefore);

    await client(a).post('/alerts/read', { all: true }).expect(204);
    expect(await count(a)).toBe(0);
    expect(mine((await page(a, 'limit=200')).items).every((x) => x.read)).toBe(true);
    expect(mine((await page(b, 'limit=200')).items).every((x) => !x.read)).toBe(true);
    // Reading never resolves: the alerts stay open until their condition clears.
    expect(mine((await page(a, 'state=open&limit=200')).items)).toHaveLength(3);
  });
});

describe('who sees alerts', () => {
  it('an auditor sees them (metadata); an operator only below a folder it may view; a token without accounts.view is refused', async () => {
    const auditor = await loginAs(pm, 'auditor');
    expect(mine((await page(auditor, 'limit=200')).items)).toHaveLength(3);

    const operator = await loginWith(pm, await createUser(pm, 'operator', { vaultRights: 'none' }));
    expect(mine((await page(operator, 'limit=200')).items)).toEqual([]);
    expect((await operator.agent.get('/api/v1/alerts/unread-count').expect(200)).body.count).toBe(0);
    // Marking all read touches nothing it cannot see.
    await client(operator).post('/alerts/read', { all: true }).expect(204);
    expect(await pm.db.alertRead.count({ where: { userId: operator.user.id } })).toBe(0);

    await createGrant(pm, { object: { type: 'account', id: accountIds[1]! }, principal: { type: 'user', id: operator.user.id }, action: 'view' });
    expect(mine((await page(operator, 'limit=200')).items).map((a) => a.object.id)).toEqual([accountIds[1]]);
    await createGrant(pm, { object: { type: 'folder', id: folderId }, principal: { type: 'user', id: operator.user.id }, action: 'view' });
    expect(mine((await page(operator, 'limit=200')).items)).toHaveLength(3);

    const narrow = await bearerFor(pm, 'admin', ['jobs.view']);
    await pm.request().get('/api/v1/alerts').set('Authorization', `Bearer ${narrow}`).expect(403);
    const viewer = await bearerFor(pm, 'admin', ['accounts.view']);
    expect(mine((await pm.request().get('/api/v1/alerts?limit=200').set('Authorization', `Bearer ${viewer}`).expect(200)).body.items)).toHaveLength(3);
  });
});
