import { randomUUID } from 'node:crypto';
import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WebhookAttempt } from '@passman/contracts';
import { createPrismaClient, migrate, MIGRATIONS_DIR, readMigrations } from '@passman/db';
import { createEmptyDatabase, dropDatabase } from '@passman/testkit/db';
import { createLogger } from '../../lib/logger.js';
import { createTestApi, loginAs, testVault, unique, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client } from '../jobs/jobs.test-util.js';
import { createWebhookDispatcher, createWebhooksRepo, DEFAULT_WEBHOOK_DISPATCHER_OPTIONS, DEFAULT_WEBHOOK_URL_POLICY, sealClearWebhookUrls } from './index.js';
import { openWebhookSecret, sealWebhookSecret } from './webhook-secret.js';
import { openWebhookUrl } from './webhook-url-seal.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-util.js';

// A webhook's URL carries the receiver's token: whoever holds the database without the master key
// must find only ciphertext. Each URL here has a token in its path and one in its query, and the
// tests look for them in the stored rows as such a reader would, with SQL.

const logger = createLogger({ level: 'silent' });
const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
const SEALING_MIGRATION = '20261212090000_webhook_url_sealed';

let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await startWebhookReceiver();
});
afterAll(async () => {
  await receiver?.close();
});

const tokenUrl = (token: string) => `${receiver.url}/services/T0/${token}?token=q-${token}`;
const newToken = () => unique('tok').replace(/[^a-z0-9]/gi, '');
const displayOf = () => `${new URL(receiver.url).origin}/…`;

/** The webhook's row as a database reader sees it: every column, as text. */
async function rowText(pm: TestApi, id: string): Promise<string> {
  const [row] = await pm.db.$queryRaw<{ row: string }[]>`SELECT row_to_json(w)::text AS row FROM webhooks w WHERE id = ${id}::uuid`;
  return row!.row;
}

/** Everything the database holds about the webhook, its outbox, delivery log and audit events, as text. */
async function everythingAbout(pm: TestApi, id: string): Promise<string> {
  const [all] = await pm.db.$queryRaw<{ text: string }[]>`
    SELECT concat_ws(' ',
      (SELECT string_agg(row_to_json(d)::text, ' ') FROM webhook_deliveries d WHERE d.webhook_id = ${id}::uuid),
      (SELECT string_agg(row_to_json(a)::text, ' ') FROM webhook_attempts a WHERE a.webhook_id = ${id}::uuid),
      (SELECT string_agg(row_to_json(e)::text, ' ') FROM audit_events e WHERE e.object_id = ${id})) AS text`;
  return `${await rowText(pm, id)} ${all!.text}`;
}

const dispatcherFor = (pm: TestApi, webhookId: string) =>
  createWebhookDispatcher(
    { repo: createWebhooksRepo(pm.db), vault: pm.vault, logger, policy: DEFAULT_WEBHOOK_URL_POLICY },
    { ...DEFAULT_WEBHOOK_DISPATCHER_OPTIONS, webhookIds: [webhookId] },
  );

/** Sends a test event to the webhook and returns what the receiver got of it. */
async function deliverTest(pm: TestApi, admin: LoggedIn, webhookId: string) {
  const queued = await client(admin).post(`/webhooks/${webhookId}/test`).expect(202);
  expect(await dispatcherFor(pm, webhookId).runOnce()).toBe(1);
  return { eventId: queued.body.eventId as string, got: receiver.received.filter((r) => r.event.id === queued.body.eventId) };
}

describe('webhook URLs at rest', () => {
  let pm: TestApi;
  let admin: LoggedIn;
  const created: string[] = [];
  beforeAll(async () => {
    pm = await createTestApi();
    admin = await loginAs(pm, 'admin');
  });
  afterAll(async () => {
    for (const id of created) await admin.agent.delete(`/api/v1/webhooks/${id}`).set('X-CSRF-Token', admin.csrf);
    await pm?.close();
  });

  async function newWebhook(url: string) {
    const res = await client(admin)
      .post('/webhooks', { name: unique('hook'), url, enabled: false })
      .expect(201);
    created.push(res.body.id as string);
    return res.body as { id: string; secret: string; url: string; name: string; enabled: boolean };
  }

  it('are sealed: after a create and an update the tokens are nowhere in the database; GET shows the whole URL, deliveries reach it', async () => {
    const first = newToken();
    const hook = await newWebhook(tokenUrl(first));
    expect(hook.url).toBe(tokenUrl(first));
    const stored = await rowText(pm, hook.id);
    expect(stored).not.toContain(first);
    expect(JSON.parse(stored)).toMatchObject({ url: null, url_display: displayOf() });
    expect((await admin.agent.get(`/api/v1/webhooks/${hook.id}`).expect(200)).body.url).toBe(tokenUrl(first));

    const second = newToken();
    const updated = await client(admin)
      .patch(`/webhooks/${hook.id}`, { url: tokenUrl(second) })
      .expect(200);
    expect(updated.body.url).toBe(tokenUrl(second));
    expect((await admin.agent.get(`/api/v1/webhooks/${hook.id}`).expect(200)).body.url).toBe(tokenUrl(second));
    const listed = (await admin.agent.get('/api/v1/webhooks').expect(200)).body.items as { id: string; url: string }[];
    expect(listed.find((w) => w.id === hook.id)?.url).toBe(tokenUrl(second));

    receiver.useSecret(hook.secret);
    const { got } = await deliverTest(pm, admin, hook.id);
    expect(got.map((r) => [r.path, r.signatureValid])).toEqual([[`/hooks/passman/services/T0/${second}?token=q-${second}`, true]]);

    // After all of it — create, update, a delivery and its log, the audit events — neither token is stored, nor logged.
    const everything = await everythingAbout(pm, hook.id);
    expect(everything).toContain(hook.id);
    for (const token of [first, second]) {
      expect(everything).not.toContain(token);
      expect(pm.logLines.join('')).not.toContain(token);
    }
  });

  it('a sealed URL moved onto another webhook does not open: nothing is sent, the delivery log says why, GET answers 500; a new URL mends it', async () => {
    const token = newToken();
    const source = await newWebhook(tokenUrl(token));
    const victim = await newWebhook(tokenUrl(newToken()));
    await pm.db.$executeRaw`UPDATE webhooks SET url_sealed = (SELECT url_sealed FROM webhooks WHERE id = ${source.id}::uuid) WHERE id = ${victim.id}::uuid`;
    const moved = (await pm.db.webhook.findUniqueOrThrow({ where: { id: victim.id } })).urlSealed!;
    expect(() => openWebhookUrl(pm.vault, victim.id, moved)).toThrow();
    expect(openWebhookUrl(pm.vault, source.id, moved)).toBe(tokenUrl(token));

    const queued = await client(admin).post(`/webhooks/${victim.id}/test`).expect(202);
    expect(await dispatcherFor(pm, victim.id).runOnce()).toBe(1);
    expect(receiver.received.filter((r) => r.event.id === queued.body.eventId)).toEqual([]);
    const [attempt] = (await admin.agent.get(`/api/v1/webhooks/${victim.id}/deliveries`).expect(200)).body.items as WebhookAttempt[];
    expect(attempt).toMatchObject({ statusCode: null, error: 'VaultError: cannot open its URL', deliveryState: 'pending' });

    const res = await admin.agent.get(`/api/v1/webhooks/${victim.id}`).expect(500);
    expect(res.body.code).toBe('INTERNAL');
    expect(res.text).not.toContain(token);
    // The list still shows every webhook: the one that does not open by its display form alone.
    const listed = (await admin.agent.get('/api/v1/webhooks').expect(200)).body.items as { id: string; url: string }[];
    expect(listed.find((w) => w.id === victim.id)?.url).toBe(displayOf());
    expect(listed.find((w) => w.id === source.id)?.url).toBe(tokenUrl(token));

    const mended = tokenUrl(newToken());
    await client(admin).patch(`/webhooks/${victim.id}`, { url: mended }).expect(200);
    expect((await admin.agent.get(`/api/v1/webhooks/${victim.id}`).expect(200)).body.url).toBe(mended);
  });

  it('a sealed secret never opens as a URL, nor a sealed URL as a secret (each has its own purpose)', async () => {
    const hook = await newWebhook(tokenUrl(newToken()));
    const row = await pm.db.webhook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(openWebhookSecret(pm.vault, hook.id, row.secretSealed)).toBe(hook.secret);
    expect(() => openWebhookUrl(pm.vault, hook.id, row.secretSealed)).toThrow();
    expect(() => openWebhookSecret(pm.vault, hook.id, row.urlSealed!)).toThrow();
  });

  it('cannot be read or stored while PassMan is sealed: 503 SEALED', async () => {
    const hook = await newWebhook(tokenUrl(newToken()));
    const sealed = await createTestApi({ vault: testVault({ sealed: true }) });
    try {
      const sealedAdmin = await loginAs(sealed, 'admin');
      expect((await sealedAdmin.agent.get(`/api/v1/webhooks/${hook.id}`).expect(503)).body.code).toBe('SEALED');
      const patch = await client(sealedAdmin)
        .patch(`/webhooks/${hook.id}`, { url: tokenUrl(newToken()) })
        .expect(503);
      expect(patch.body.code).toBe('SEALED');
      // Nor any other change: refused before it is written, not committed and then answered 503.
      const disable = await client(sealedAdmin)
        .patch(`/webhooks/${hook.id}`, { enabled: true, name: `renamed-${randomUUID()}` })
        .expect(503);
      expect(disable.body.code).toBe('SEALED');
    } finally {
      await sealed.close();
    }
    expect((await admin.agent.get(`/api/v1/webhooks/${hook.id}`).expect(200)).body).toMatchObject({ url: hook.url, name: hook.name, enabled: hook.enabled });
  });
});

describe('webhooks stored before URLs were sealed', () => {
  // A database of its own, migrated as it was before URLs were sealed, with rows written then.
  let url: string;
  let dir: string;
  let pm: TestApi;
  let admin: LoggedIn;
  const vault = testVault();

  /** Writes a webhook as the schema before the sealing migration had it: the URL in clear. */
  async function insertClear(db: TestApi['db'], webhookUrl: string, secret = `whsec_${randomUUID()}`) {
    const id = randomUUID();
    await db.$executeRaw`
      INSERT INTO webhooks (id, name, url, secret_sealed, rules, enabled, updated_at)
      VALUES (${id}::uuid, ${`hook-${id}`}, ${webhookUrl}, ${sealWebhookSecret(vault, id, secret)}, '{}', false, now() - interval '1 day')`;
    return { id, secret };
  }

  const legacyToken = newToken();
  let legacy: { id: string; secret: string };
  beforeAll(async () => {
    url = await createEmptyDatabase(adminUrl(), 'passman_webhook_urls');
    dir = await mkdtemp(join(tmpdir(), 'passman-migrations-'));
    for (const m of await readMigrations()) if (m.name < SEALING_MIGRATION) await cp(join(MIGRATIONS_DIR, m.name), join(dir, m.name), { recursive: true });
    await migrate(url, dir);
    const before = createPrismaClient(url, { max: 1 });
    try {
      legacy = await insertClear(before, tokenUrl(legacyToken));
    } finally {
      await before.$disconnect();
    }
    await migrate(url);
    pm = await createTestApi({ databaseUrl: url, vault });
    admin = await loginAs(pm, 'admin');
  });
  afterAll(async () => {
    await pm?.close();
    await dropDatabase(adminUrl(), url);
    await rm(dir, { recursive: true, force: true });
  });

  it('keep their URL in clear through the migration and still deliver; the start seals it, and then it still delivers', async () => {
    const updatedAt = (await pm.db.webhook.findUniqueOrThrow({ where: { id: legacy.id } })).updatedAt;
    expect(JSON.parse(await rowText(pm, legacy.id))).toMatchObject({ url: tokenUrl(legacyToken), url_sealed: null });
    expect((await admin.agent.get(`/api/v1/webhooks/${legacy.id}`).expect(200)).body.url).toBe(tokenUrl(legacyToken));
    receiver.useSecret(legacy.secret);
    const before = await deliverTest(pm, admin, legacy.id);
    expect(before.got.map((r) => [r.path, r.signatureValid])).toEqual([[`/hooks/passman/services/T0/${legacyToken}?token=q-${legacyToken}`, true]]);

    expect(await sealClearWebhookUrls({ vault, repo: createWebhooksRepo(pm.db) })).toBe(1);
    const stored = await rowText(pm, legacy.id);
    expect(stored).not.toContain(legacyToken);
    expect(JSON.parse(stored)).toMatchObject({ url: null, url_display: displayOf() });
    expect((await pm.db.webhook.findUniqueOrThrow({ where: { id: legacy.id } })).updatedAt).toEqual(updatedAt);
    expect((await admin.agent.get(`/api/v1/webhooks/${legacy.id}`).expect(200)).body.url).toBe(tokenUrl(legacyToken));
    const after = await deliverTest(pm, admin, legacy.id);
    expect(after.got.map((r) => [r.path, r.signatureValid])).toEqual([[`/hooks/passman/services/T0/${legacyToken}?token=q-${legacyToken}`, true]]);
    // A second start finds nothing left to seal.
    expect(await sealClearWebhookUrls({ vault, repo: createWebhooksRepo(pm.db) })).toBe(0);
  });

  it('two starts at once seal each row once: both read each page before either writes, one write wins per row', async () => {
    await Promise.all(['a', 'b', 'c', 'd', 'e'].map(() => insertClear(pm.db, tokenUrl(newToken()))));
    const repo = createWebhooksRepo(pm.db);
    const clear = await repo.clearUrls(null, 1000);
    expect(clear.length).toBeGreaterThanOrEqual(5);
    // A meeting per page: neither start writes a page's rows before both have read that page.
    const meetings = new Map<number, { arrived: number; release: () => void; open: Promise<void> }>();
    const meet = async (page: number) => {
      let meeting = meetings.get(page);
      if (!meeting) {
        let release!: () => void;
        const open = new Promise<void>((resolve) => (release = resolve));
        meeting = { arrived: 0, release, open };
        meetings.set(page, meeting);
      }
      if (++meeting.arrived === 2) meeting.release();
      await meeting.open;
    };
    const writes: { id: string; won: boolean; urlSealed: string }[] = [];
    const start = () => {
      let page = 0;
      return sealClearWebhookUrls({
        vault,
        batchSize: 2,
        repo: {
          clearUrls: async (after, limit) => {
            const rows = await repo.clearUrls(after, limit);
            await meet(page++);
            return rows;
          },
          sealClearUrl: async (id, expected, sealed) => {
            const won = await repo.sealClearUrl(id, expected, sealed);
            writes.push({ id, won, urlSealed: sealed.urlSealed });
            return won;
          },
        },
      });
    };
    const counts = await Promise.all([start(), start()]);
    expect(counts[0]! + counts[1]!).toBe(clear.length);
    for (const { id, urlClear } of clear) {
      // Both starts tried every row; one won it.
      const tried = writes.filter((w) => w.id === id);
      expect(tried).toHaveLength(2);
      const winners = tried.filter((w) => w.won);
      expect(winners).toHaveLength(1);
      const row = await pm.db.webhook.findUniqueOrThrow({ where: { id } });
      expect(row.urlClear).toBeNull();
      expect(row.urlSealed).toBe(winners[0]!.urlSealed);
      expect(openWebhookUrl(vault, id, row.urlSealed!)).toBe(urlClear);
    }
    expect(await repo.clearUrls(null, 1000)).toEqual([]);
  });
});
