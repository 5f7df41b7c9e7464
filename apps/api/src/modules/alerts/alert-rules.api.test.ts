import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Alert, AlertRule } from '@passman/contracts';
import { startSshTarget, startTcpRelay, type SshTarget, type TcpRelay } from '@passman/testkit';
import { createGrant, loginWith } from '../../test/factories.js';
import { createTestApi, createUser, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { waitUntil } from '../../test/wait-until.js';
import { api as client, newPassword, newUser, registerAccount, registerTarget, waitForJob } from '../jobs/jobs.test-util.js';
import {
  createWebhookDispatcher,
  createWebhooksRepo,
  DEFAULT_WEBHOOK_DISPATCHER_OPTIONS,
  DEFAULT_WEBHOOK_URL_POLICY,
  type WebhookDispatcher,
} from '../webhooks/index.js';
import { startWebhookReceiver, type WebhookReceiver } from '../webhooks/webhook-receiver.test-util.js';
import { createLogger } from '../../lib/logger.js';
import { createAlertEngine, createAlertsRepo, DEFAULT_ALERT_ENGINE_OPTIONS, type AlertEngine } from './index.js';

// Each rule driven by what really happens on a real sshd target: a wrong password, a reset whose
// network goes away, a host that regenerates its keys. The worker evaluates an account's alerts
// when its job ends; the sweep (here called with the time it would run at) finds the time-based
// ones. Every opening and resolution reaches a webhook receiver on loopback, signed.

let pm: TestApi;
let target: SshTarget;
let link: TcpRelay;
let admin: LoggedIn;
let receiver: WebhookReceiver;
let engine: AlertEngine;
let dispatcher: WebhookDispatcher;
let webhookId: string;
let targetId: string;
/** The relay to cut the moment a reset has applied its change (null: no fault). */
let cutAfterApply: TcpRelay | null = null;
const silentLogger = createLogger({ level: 'silent' });

beforeAll(async () => {
  [pm, target, receiver] = await Promise.all([createTestApi(), startSshTarget(), startWebhookReceiver()]);
  link = await startTcpRelay(target);
  admin = await loginAs(pm, 'admin');
  const created = await client(admin)
    .post('/webhooks', { name: `rules-${newUser()}`, url: receiver.url })
    .expect(201);
  webhookId = created.body.id as string;
  receiver.useSecret(created.body.secret as string);
  engine = createAlertEngine({ repo: createAlertsRepo(pm.db), webhooks: createWebhooksRepo(pm.db), logger: silentLogger }, DEFAULT_ALERT_ENGINE_OPTIONS);
  dispatcher = createWebhookDispatcher(
    { repo: createWebhooksRepo(pm.db), vault: pm.vault, logger: silentLogger, policy: DEFAULT_WEBHOOK_URL_POLICY },
    { ...DEFAULT_WEBHOOK_DISPATCHER_OPTIONS, backoffBaseMs: 1, webhookIds: [webhookId] },
  );
  // Reached through a relay, so a test can take the network away at a chosen point of a reset.
  targetId = await registerTarget(admin, { host: link.host, port: link.port, fingerprints: target.fingerprints });
  pm.startWorker({
    leaseMs: 1_000,
    maxAttempts: 2,
    backoffBaseMs: 100,
    faults: { hit: async (point) => (point === 'after-applied' && cutAfterApply ? cutAfterApply.pause() : undefined) },
  });
}, 60_000);

afterAll(async () => {
  if (webhookId) await admin.agent.delete(`/api/v1/webhooks/${webhookId}`).set('X-CSRF-Token', admin.csrf).expect(204);
  await pm?.close();
  await link?.close();
  await Promise.all([target?.stop(), receiver?.close()]);
});

async function alertsOf(session: LoggedIn, query: string): Promise<Alert[]> {
  return (await session.agent.get(`/api/v1/alerts?${query}`).expect(200)).body.items as Alert[];
}

async function openAlert(objectParam: string, rule: AlertRule): Promise<Alert> {
  let found: Alert | undefined;
  await waitUntil(
    async () => {
      found = (await alertsOf(admin, `${objectParam}&rule=${rule}&state=open`))[0];
      return found !== undefined;
    },
    `an open ${rule} alert for ${objectParam}`,
    30_000,
  );
  return found!;
}

async function resolved(alertId: string): Promise<Alert> {
  let alert: Alert | undefined;
  await waitUntil(
    async () => {
      alert = (await admin.agent.get(`/api/v1/alerts/${alertId}`).expect(200)).body as Alert;
      return alert.state === 'resolved';
    },
    `alert ${alertId} resolved`,
    30_000,
  );
  return alert!;
}

/** Sends the outbox until the receiver has both the opening and the resolution of the alert; checks both are signed. */
async function expectDelivered(alertId: string) {
  await waitUntil(
    async () => {
      await dispatcher.runOnce(new Date(Date.now() + 3_600_000));
      return receiver.about(alertId).length >= 2;
    },
    `the webhook to receive alert ${alertId} opened and resolved`,
    30_000,
  );
  const events = receiver.about(alertId);
  expect(events.map((e) => [e.event.type, e.event.alert?.state])).toEqual([
    ['alert.opened', 'open'],
    ['alert.resolved', 'resolved'],
  ]);
  for (const e of events) expect(e.signatureValid).toBe(true);
}

async function member(password: string, stored = password) {
  const name = newUser('al');
  await target.addUsers([{ name, password }]);
  return { name, accountId: await registerAccount(admin, targetId, name, stored) };
}

async function check(accountId: string) {
  const res = await client(admin).post(`/accounts/${accountId}/check`).expect(202);
  return waitForJob(admin, res.body.id as string);
}

describe('alert rules on a real target', () => {
  it('not_in_sync: one alert however often the check fails, resolved once it passes, both sent signed', async () => {
    const real = newPassword();
    const stored = newPassword();
    const m = await member(real, stored);
    await check(m.accountId);
    expect(await pm.db.account.findUniqueOrThrow({ where: { id: m.accountId } })).toMatchObject({ status: 'NotInSync', statusReason: 'AUTH_REJECTED' });
    const alert = await openAlert(`accountId=${m.accountId}`, 'not_in_sync');
    expect(alert).toMatchObject({ object: { type: 'account', id: m.accountId, targetId }, details: { reason: 'AUTH_REJECTED' }, read: false });

    // A second failing run refreshes the alert; it does not make another.
    await check(m.accountId);
    await waitUntil(async () => (await alertsOf(admin, `accountId=${m.accountId}&rule=not_in_sync`))[0]!.lastSeenAt > alert.lastSeenAt, 'the alert refreshed');
    expect(await alertsOf(admin, `accountId=${m.accountId}&rule=not_in_sync`)).toHaveLength(1);

    // The target's password becomes the one PassMan holds: the next check passes and the alert resolves.
    expect((await target.run(['chpasswd'], `${m.name}:${stored}\n`)).code).toBe(0);
    await check(m.accountId);
    expect(await pm.db.account.findUniqueOrThrow({ where: { id: m.accountId } })).toMatchObject({ status: 'InSync' });
    expect(await resolved(alert.id)).toMatchObject({ state: 'resolved', resolvedAt: expect.any(String) });
    await expectDelivered(alert.id);
  }, 60_000);

  it('rotation_overdue: raised when no rotation ran at all, resolved by a successful rotation', async () => {
    const policy = await client(admin)
      .post('/policies', { name: `rot-${newUser()}`, rotationIntervalDays: 1 })
      .expect(201);
    const m = await member(newPassword());
    await client(admin).patch(`/accounts/${m.accountId}`, { policyId: policy.body.id }).expect(200);
    // Three days pass in the database: the password became CURRENT then, and no job ever ran since.
    await pm.db.$executeRaw`UPDATE credential_versions v SET state_changed_at = now() - interval '3 days'
                              FROM credentials c WHERE c.id = v.credential_id AND c.account_id = ${m.accountId}::uuid AND v.state = 'CURRENT'`;
    expect(await pm.db.job.count({ where: { accountId: m.accountId } })).toBe(0);
    // The worker's periodic sweep finds it (no event ever happened to this account).
    const swept = await engine.sweep();
    const alert = await openAlert(`accountId=${m.accountId}`, 'rotation_overdue');
    expect(swept.opened).toContain(alert.id);
    expect(alert.details).toMatchObject({ intervalDays: 1, credentialType: 'PASSWORD', lastReset: null });

    // Within the interval plus the grace period it would not have been raised.
    const early = await engine.evaluate({ kind: 'accounts', accountIds: [m.accountId] }, new Date(Date.now() - 2 * 86_400_000));
    expect(early.resolved).toEqual([alert.id]);
    // Two evaluations racing to raise it again open one alert between them.
    const racing = await Promise.all([0, 1].map(() => engine.evaluate({ kind: 'accounts', accountIds: [m.accountId] })));
    expect(racing.flatMap((r) => r.opened)).toHaveLength(1);
    const again = await openAlert(`accountId=${m.accountId}`, 'rotation_overdue');
    expect(await alertsOf(admin, `accountId=${m.accountId}&rule=rotation_overdue&state=open`)).toHaveLength(1);

    // The rotation PassMan would run: generate and change on the target; its success resolves the alert.
    const reset = await client(admin).post(`/accounts/${m.accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202);
    expect(await waitForJob(admin, reset.body.id as string)).toMatchObject({ state: 'succeeded' });
    await resolved(again.id);
    await expectDelivered(again.id);
  }, 60_000);

  it('job_unverified: raised while a reset cannot be confirmed, resolved when recovery confirms it', async () => {
    const m = await member(newPassword());
    cutAfterApply = link;
    const reset = await client(admin).post(`/accounts/${m.accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202);
    const alert = await openAlert(`accountId=${m.accountId}`, 'job_unverified');
    cutAfterApply = null;
    expect(alert.details).toMatchObject({ jobId: reset.body.id });
    await link.resume();
    expect(await waitForJob(admin, reset.body.id as string, { until: (j) => j.state === 'succeeded', timeoutMs: 30_000 })).toMatchObject({
      state: 'succeeded',
    });
    await resolved(alert.id);
    await expectDelivered(alert.id);
  }, 60_000);

  it('checkout_overdue: raised past the due time of an exclusive checkout, resolved by the check-in', async () => {
    const policy = await client(admin)
      .post('/policies', { name: `co-${newUser()}`, checkoutExclusive: true, checkoutMaxMinutes: 30 })
      .expect(201);
    const m = await member(newPassword());
    await client(admin).patch(`/accounts/${m.accountId}`, { policyId: policy.body.id }).expect(200);
    const out = await client(admin).post(`/accounts/${m.accountId}/checkout`, { credentialType: 'PASSWORD' }).expect(200);
    const due = new Date(out.body.expiresAt as string);
    // Not before its due time; past it, the sweep raises it.
    expect((await engine.evaluate({ kind: 'accounts', accountIds: [m.accountId] }, new Date(due.getTime() - 60_000))).opened).toEqual([]);
    const { opened } = await engine.evaluate({ kind: 'accounts', accountIds: [m.accountId] }, new Date(due.getTime() + 60_000));
    expect(opened).toHaveLength(1);
    const alert = await openAlert(`accountId=${m.accountId}`, 'checkout_overdue');
    expect(alert.details).toMatchObject({ dueAt: due.toISOString(), holder: admin.user.username });
    await client(admin).post(`/accounts/${m.accountId}/checkin`).expect(200);
    await engine.evaluate({ kind: 'accounts', accountIds: [m.accountId] }, new Date(due.getTime() + 120_000));
    await resolved(alert.id);
    await expectDelivered(alert.id);
  }, 60_000);
});

describe('host_key_changed, and who sees it', () => {
  let own: SshTarget | undefined;
  afterAll(async () => {
    await own?.stop();
  });

  it('raised on the target when it offers a key other than the approved one, resolved when the new key is approved; hidden from an operator without view', async () => {
    own = await startSshTarget();
    const ownId = await registerTarget(admin, own);
    const name = newUser('hk');
    const password = newPassword();
    await own.addUsers([{ name, password }]);
    const accountId = await registerAccount(admin, ownId, name, password);
    expect(await check(accountId)).toMatchObject({ state: 'succeeded' });

    await own.replaceHostKeys();
    await check(accountId);
    expect(await pm.db.account.findUniqueOrThrow({ where: { id: accountId } })).toMatchObject({ statusReason: 'HOST_KEY_MISMATCH' });
    const alert = await openAlert(`targetId=${ownId}`, 'host_key_changed');
    expect(alert).toMatchObject({ object: { type: 'target', id: ownId }, details: { accountsRefused: 1 } });

    // An operator with no right on the target's folder sees neither the alert nor its count; with view, both.
    const operator = await loginWith(pm, await createUser(pm, 'operator', { vaultRights: 'none' }));
    expect(await alertsOf(operator, `targetId=${ownId}`)).toEqual([]);
    await operator.agent.get(`/api/v1/alerts/${alert.id}`).expect(404);
    await client(operator).post(`/alerts/${alert.id}/acknowledge`).expect(404);
    const before = (await operator.agent.get('/api/v1/alerts/unread-count').expect(200)).body.count as number;
    const folderId = (await pm.db.target.findUniqueOrThrow({ where: { id: ownId } })).folderId;
    await createGrant(pm, { object: { type: 'target', id: ownId }, principal: { type: 'user', id: operator.user.id }, action: 'view' });
    expect((await alertsOf(operator, `targetId=${ownId}`)).map((a) => a.id)).toContain(alert.id);
    expect((await operator.agent.get('/api/v1/alerts/unread-count').expect(200)).body.count).toBeGreaterThan(before);
    // Read is the reader's own: the operator's mark leaves the admin's copy unread.
    expect((await client(operator).post(`/alerts/${alert.id}/acknowledge`).expect(200)).body).toMatchObject({ read: true });
    expect((await admin.agent.get(`/api/v1/alerts/${alert.id}`).expect(200)).body).toMatchObject({ read: false });
    // A DENY on the folder above hides it again (DENY wins).
    await createGrant(pm, { object: { type: 'folder', id: folderId }, principal: { type: 'user', id: operator.user.id }, action: 'view', effect: 'DENY' });
    await operator.agent.get(`/api/v1/alerts/${alert.id}`).expect(404);

    // A scan shows the key the host now offers; the alert names it.
    const scanned = await client(admin).post(`/targets/${ownId}/host-key/scan`).expect(200);
    await engine.evaluate({ kind: 'accounts', accountIds: [accountId] });
    expect((await admin.agent.get(`/api/v1/alerts/${alert.id}`).expect(200)).body).toMatchObject({
      state: 'open',
      details: { fingerprint: scanned.body.fingerprint },
    });
    // Approved, and the account checked again through it: the condition is gone and the alert resolves.
    await client(admin).post(`/targets/${ownId}/host-key/approve`, { fingerprint: scanned.body.fingerprint }).expect(200);
    await check(accountId);
    await resolved(alert.id);
    await expectDelivered(alert.id);
  }, 60_000);
});
