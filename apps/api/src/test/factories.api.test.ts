import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  bearerFor,
  createAccount,
  createAuditEvent,
  createCheckBatch,
  createCheckJob,
  createCredential,
  createHostKey,
  createPolicy,
  createTarget,
  createToken,
  createUser,
  loginAs,
  loginWith,
  type LoggedIn,
} from './factories.js';
import { createTestApi, type TestApi } from './harness.js';

// Each factory's row is what the API then shows: the factories make rows PassMan itself would.

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

const get = async (path: string) => (await admin.agent.get(`/api/v1${path}`).expect(200)).body;

describe('factories', () => {
  it('user, session and token: the user logs in, the token authenticates with its scopes', async () => {
    const user = await createUser(api, 'auditor');
    const session = await loginWith(api, user);
    const me = await session.agent.get('/api/v1/auth/me').expect(200);
    expect(me.body.user).toMatchObject({ id: user.id, username: user.username, role: 'auditor' });
    const token = await createToken(api, session, { scopes: ['audit.view'], expiresInDays: 2 });
    const byToken = await api.request().get('/api/v1/auth/me').set('Authorization', `Bearer ${token.token}`).expect(200);
    expect(byToken.body.user.permissions).toEqual(['audit.view']);
    const bearer = await bearerFor(api, 'operator', ['accounts.view']);
    await api.request().get('/api/v1/accounts?limit=1').set('Authorization', `Bearer ${bearer}`).expect(200);
    await api.request().get('/api/v1/audit?limit=1').set('Authorization', `Bearer ${bearer}`).expect(403);
  });

  it('target and account: request fields through the repo, state fields written after', async () => {
    const target = await createTarget(api, { port: 2222, tags: ['f'], createdAt: new Date('2026-01-02T03:04:05.000Z') });
    const account = await createAccount(api, target.id, { username: 'deploy', status: 'InSync', lastCheckedAt: new Date('2026-02-01T00:00:00.000Z') });
    const shown = await get(`/accounts/${account.id}`);
    expect(shown).toMatchObject({ username: 'deploy', status: 'InSync', lastCheckedAt: '2026-02-01T00:00:00.000Z', target: { id: target.id } });
    expect(await get(`/targets/${target.id}`)).toMatchObject({ port: 2222, tags: ['f'], createdAt: '2026-01-02T03:04:05.000Z', accountCount: 1 });
    // No audit event: a test reading an object's events sees only its own.
    expect(await api.db.auditEvent.count({ where: { objectId: { in: [target.id, account.id] } } })).toBe(0);
  });

  it('host key: offered (PENDING), or approved with a signature the API trusts', async () => {
    const target = await createTarget(api);
    const offered = await createHostKey(api, target.id);
    expect(offered.status).toBe('PENDING');
    const approved = await createHostKey(api, target.id, { approved: true });
    const { hostKeys } = await get(`/targets/${target.id}`);
    expect(hostKeys).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ fingerprint: approved.fingerprint, status: 'APPROVED' }),
        expect.objectContaining({ fingerprint: offered.fingerprint, status: 'REVOKED' }),
      ]),
    );
  });

  it('policy and credential: a generated password follows the account’s policy', async () => {
    const policy = await createPolicy(api, { passwordLength: 31 });
    const account = await createAccount(api, undefined, { policyId: policy.id });
    const credential = await createCredential(api, account.id);
    expect(credential).toMatchObject({ type: 'PASSWORD', accountId: account.id });
    const { items } = await get(`/accounts/${account.id}/credentials`);
    expect(items.map((c: { id: string }) => c.id)).toEqual([credential.id]);
    expect(await get(`/accounts/${account.id}`)).toMatchObject({ policyId: policy.id, compliance: 'Compliant' });
  });

  it('job and batch: stored and queued check jobs', async () => {
    const job = await createCheckJob(api);
    expect(await get(`/jobs/${job.id}`)).toMatchObject({ id: job.id, kind: 'CHECK', state: 'queued' });
    const batch = await createCheckBatch(api, undefined, 3);
    expect(await get(`/batches/${batch.id}`)).toMatchObject({ id: batch.id, total: 3 });
  });

  it('audit event: appended to the chain, listed by the API', async () => {
    const event = await createAuditEvent(api, { action: 'test.factory', details: { n: 1 } });
    const { items } = await get(`/audit?objectId=${event.objectId}`);
    expect(items).toEqual([expect.objectContaining({ action: 'test.factory', objectId: event.objectId, details: { n: 1 } })]);
  });
});
