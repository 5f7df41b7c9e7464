import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { WebhookAttempt } from '@passman/contracts';
import { createLogger } from '../../lib/logger.js';
import { bearerFor, createTestApi, loginAs, testVault, unique, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client } from '../jobs/jobs.test-util.js';
import {
  createWebhookDispatcher,
  createWebhooksRepo,
  DEFAULT_WEBHOOK_DISPATCHER_OPTIONS,
  DEFAULT_WEBHOOK_URL_POLICY,
  signWebhook,
  verifyWebhook,
} from './index.js';
import { startWebhookReceiver, type WebhookReceiver } from './webhook-receiver.test-util.js';

// Webhooks as an administrator manages them, and the outbox as a receiver experiences it: signed,
// retried with backoff after a failure, taken over when the process sending it died, and logged
// per attempt. The secret is shown once, at creation, and nowhere after.

let pm: TestApi;
let admin: LoggedIn;
let receiver: WebhookReceiver;
const logger = createLogger({ level: 'silent' });
const created: string[] = [];

beforeAll(async () => {
  [pm, receiver] = await Promise.all([createTestApi(), startWebhookReceiver()]);
  admin = await loginAs(pm, 'admin');
});
afterAll(async () => {
  for (const id of created) await admin.agent.delete(`/api/v1/webhooks/${id}`).set('X-CSRF-Token', admin.csrf);
  await pm?.close();
  await receiver?.close();
});

/** A dispatcher for one webhook's deliveries (other test files share the database and its outbox). */
const dispatcherWith = (webhookId: string, options: Partial<typeof DEFAULT_WEBHOOK_DISPATCHER_OPTIONS> = {}) =>
  createWebhookDispatcher(
    { repo: createWebhooksRepo(pm.db), vault: pm.vault, logger, policy: DEFAULT_WEBHOOK_URL_POLICY },
    { ...DEFAULT_WEBHOOK_DISPATCHER_OPTIONS, ...options, webhookIds: [webhookId] },
  );

async function newWebhook(body: Record<string, unknown> = {}) {
  const res = await client(admin)
    .post('/webhooks', { name: unique('hook'), url: receiver.url, enabled: false, ...body })
    .expect(201);
  created.push(res.body.id as string);
  return res.body as { id: string; secret: string };
}

const attemptsOf = async (webhookId: string) => (await admin.agent.get(`/api/v1/webhooks/${webhookId}/deliveries`).expect(200)).body.items as WebhookAttempt[];

describe('webhook secrets', () => {
  it('are shown once, at creation, and never again: not by get, list, update, the delivery log or the audit trail', async () => {
    const hook = await newWebhook();
    expect(hook.secret).toMatch(/^whsec_[A-Za-z0-9_-]{43}$/);
    const own = await newWebhook({ secret: 'a-secret-of-the-administrators-own-choosing' });
    expect(own.secret).toBe('a-secret-of-the-administrators-own-choosing');

    const answers = [
      await admin.agent.get(`/api/v1/webhooks/${hook.id}`).expect(200),
      await admin.agent.get('/api/v1/webhooks').expect(200),
      await client(admin)
        .patch(`/webhooks/${hook.id}`, { name: unique('renamed') })
        .expect(200),
      await admin.agent.get(`/api/v1/webhooks/${hook.id}/deliveries`).expect(200),
      await admin.agent.get(`/api/v1/audit?objectType=webhook&limit=200`).expect(200),
    ];
    for (const res of answers) {
      expect(res.text).not.toContain(hook.secret);
      expect(res.text).not.toContain(own.secret);
      expect(res.text).not.toContain('secretSealed');
    }
    const stored = await pm.db.webhook.findUniqueOrThrow({ where: { id: hook.id } });
    expect(stored.secretSealed).not.toContain(hook.secret);
  });

  it('in the URL (a path token, a query token) stay out of the audit trail, which says only that the URL changed', async () => {
    const token = unique('tok').replace(/[^a-z0-9]/gi, '');
    const base = new URL(receiver.url);
    const url = `${receiver.url}/services/T0/B0/${token}?token=q-${token}`;
    const hook = await newWebhook({ url });
    await client(admin)
      .patch(`/webhooks/${hook.id}`, { url: `${receiver.url}/next/${token}` })
      .expect(200);
    await admin.agent.delete(`/api/v1/webhooks/${hook.id}`).set('X-CSRF-Token', admin.csrf).expect(204);
    const trail = (await admin.agent.get(`/api/v1/audit?objectType=webhook&objectId=${hook.id}&limit=10`).expect(200)).body.items as {
      action: string;
      details: Record<string, unknown>;
    }[];
    expect(trail.map((e) => e.action).sort()).toEqual(['webhook.create', 'webhook.delete', 'webhook.update']);
    expect(JSON.stringify(trail)).not.toContain(token);
    const update = trail.find((e) => e.action === 'webhook.update')!.details;
    expect(update).toMatchObject({ before: { url: `${base.protocol}//${base.host}/…` }, after: { url: `${base.protocol}//${base.host}/…` }, urlChanged: true });
  });

  it('cannot be stored while PassMan is sealed: 503 SEALED, nothing stored', async () => {
    const sealed = await createTestApi({ vault: testVault({ sealed: true }) });
    try {
      const name = unique('sealed');
      const res = await client(await loginAs(sealed, 'admin'))
        .post('/webhooks', { name, url: receiver.url })
        .expect(503);
      expect(res.body.code).toBe('SEALED');
      expect(await sealed.db.webhook.count({ where: { name } })).toBe(0);
    } finally {
      await sealed.close();
    }
  });

  it('are an administrator’s: an operator, or a token without webhooks.manage, gets 403', async () => {
    const operator = await loginAs(pm, 'operator');
    await operator.agent.get('/api/v1/webhooks').expect(403);
    await client(operator)
      .post('/webhooks', { name: unique('hook'), url: receiver.url })
      .expect(403);
    const narrow = await bearerFor(pm, 'admin', ['accounts.view']);
    await pm.request().get('/api/v1/webhooks').set('Authorization', `Bearer ${narrow}`).expect(403);
  });
});

describe('webhook URLs', () => {
  it.each([
    ['http://169.254.169.254/latest/meta-data/', 'WEBHOOK_URL_REFUSED'],
    ['http://[fe80::1]/hook', 'WEBHOOK_URL_REFUSED'],
    ['http://[::ffff:169.254.169.254]/hook', 'WEBHOOK_URL_REFUSED'],
    ['http://0.0.0.0/hook', 'WEBHOOK_URL_REFUSED'],
    ['ftp://example.com/hook', 'VALIDATION_FAILED'],
    ['file:///etc/passwd', 'VALIDATION_FAILED'],
    ['https://user:pw@example.com/hook', 'VALIDATION_FAILED'],
  ])('%s is refused (%s), and nothing is stored', async (url, code) => {
    const name = unique('bad');
    const res = await client(admin).post('/webhooks', { name, url }).expect(422);
    expect(res.body.code).toBe(code);
    expect(await pm.db.webhook.count({ where: { name } })).toBe(0);
  });

  it('a change of URL is held to the same rules; a duplicate name is a 409; an unknown webhook a 404', async () => {
    const hook = await newWebhook();
    expect((await client(admin).patch(`/webhooks/${hook.id}`, { url: 'http://169.254.169.254/' }).expect(422)).body.code).toBe('WEBHOOK_URL_REFUSED');
    const name = (await admin.agent.get(`/api/v1/webhooks/${hook.id}`).expect(200)).body.name as string;
    expect((await client(admin).post('/webhooks', { name, url: receiver.url }).expect(409)).body.code).toBe('ALREADY_EXISTS');
    await admin.agent.get('/api/v1/webhooks/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c').expect(404);
    await client(admin).post('/webhooks/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c/test').expect(404);
  });
});

describe('delivery', () => {
  it('a test event is signed over timestamp and body; a 500 is retried with backoff and the 200 after it delivers it, each attempt logged', async () => {
    const hook = await newWebhook();
    receiver.useSecret(hook.secret);
    receiver.answers.push(500);
    const queued = await client(admin).post(`/webhooks/${hook.id}/test`).expect(202);
    const dispatcher = dispatcherWith(hook.id, { backoffBaseMs: 60_000 });

    await dispatcher.runOnce();
    const [first] = await attemptsOf(hook.id);
    expect(first).toMatchObject({
      deliveryId: queued.body.deliveryId,
      eventType: 'webhook.test',
      attempt: 1,
      statusCode: 500,
      error: null,
      deliveryState: 'pending',
    });
    // Not due again before its backoff has passed …
    expect(await dispatcher.runOnce(new Date(Date.now() + 30_000))).toBe(0);
    // … and sent again after it.
    expect(await dispatcher.runOnce(new Date(Date.now() + 61_000))).toBe(1);
    const log = await attemptsOf(hook.id);
    expect(log.map((a) => [a.attempt, a.statusCode, a.deliveryState])).toEqual([
      [2, 200, 'delivered'],
      [1, 500, 'delivered'],
    ]);
    const got = receiver.received.filter((r) => r.event.id === queued.body.eventId);
    expect(got.map((r) => [r.status, r.signatureValid])).toEqual([
      [500, true],
      [200, true],
    ]);
    expect(got[0]!.event).toMatchObject({ type: 'webhook.test', webhook: { id: hook.id } });
    expect(got[0]!.headers['passman-event-id']).toBe(queued.body.eventId);
  });

  it('a delivery claimed by a process that died is sent by another once its lease lapses, not before', async () => {
    const hook = await newWebhook();
    receiver.useSecret(hook.secret);
    const queued = await client(admin).post(`/webhooks/${hook.id}/test`).expect(202);
    // A process claims it and dies before sending (its claim is all it left).
    const now = new Date();
    const claimed = await createWebhooksRepo(pm.db).claim(now, 10, 60_000, [hook.id]);
    expect(claimed.map((c) => c.id)).toContain(queued.body.deliveryId);
    const survivor = dispatcherWith(hook.id);
    await survivor.runOnce(new Date(now.getTime() + 30_000));
    expect(receiver.received.some((r) => r.event.id === queued.body.eventId)).toBe(false);
    await survivor.runOnce(new Date(now.getTime() + 61_000));
    expect(receiver.received.filter((r) => r.event.id === queued.body.eventId).map((r) => r.signatureValid)).toEqual([true]);
  });

  it('gives up after the last attempt and logs why when nothing answers', async () => {
    const hook = await newWebhook({ url: 'http://127.0.0.1:9/closed' });
    await client(admin).post(`/webhooks/${hook.id}/test`).expect(202);
    const dispatcher = dispatcherWith(hook.id, { maxAttempts: 2, backoffBaseMs: 1 });
    await dispatcher.runOnce(new Date(Date.now() + 1_000));
    await dispatcher.runOnce(new Date(Date.now() + 2_000));
    const log = await attemptsOf(hook.id);
    expect(log.map((a) => [a.attempt, a.statusCode, a.deliveryState])).toEqual([
      [2, null, 'failed'],
      [1, null, 'failed'],
    ]);
    expect(log[0]!.error).toMatch(/ECONNREFUSED/);
  });
});

describe('signatures', () => {
  it('verify only the exact body, under the right secret, within the tolerance', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const ts = Math.floor(now.getTime() / 1000);
    const body = '{"id":"e1","type":"alert.opened"}';
    const signature = signWebhook('s3cret-s3cret-s3cret-s3cret', ts, body);
    expect(verifyWebhook('s3cret-s3cret-s3cret-s3cret', { timestamp: String(ts), signature }, body, { now })).toBe(true);
    expect(verifyWebhook('s3cret-s3cret-s3cret-s3cret', { timestamp: String(ts), signature }, body.replace('opened', 'closed'), { now })).toBe(false);
    expect(verifyWebhook('another-secret-another-secret', { timestamp: String(ts), signature }, body, { now })).toBe(false);
    expect(verifyWebhook('s3cret-s3cret-s3cret-s3cret', { timestamp: String(ts + 1), signature }, body, { now })).toBe(false);
    expect(verifyWebhook('s3cret-s3cret-s3cret-s3cret', { timestamp: String(ts), signature }, body, { now: new Date(now.getTime() + 301_000) })).toBe(false);
  });
});
