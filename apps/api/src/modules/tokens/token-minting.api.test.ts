import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Permission } from '@passman/contracts';
import { createTestApi, loginAs, unique, type TestApi } from '../../test/harness.js';

// A token creating a token: never more scopes nor more time than itself, or not at all.

let api: TestApi;
let noMinting: TestApi;
beforeAll(async () => {
  api = await createTestApi();
  noMinting = await createTestApi({ tokensCanCreateTokens: false });
});
afterAll(async () => {
  await api.close();
  await noMinting.close();
});

const DAY = 86_400_000;

/** A token made by an admin's session with exactly these scopes and lifetime. */
async function tokenWith(target: TestApi, scopes: Permission[], expiresInDays: number) {
  const { agent, csrf, user } = await loginAs(target, 'admin');
  const res = await agent
    .post('/api/v1/tokens')
    .set('X-CSRF-Token', csrf)
    .send({ name: unique('parent'), scopes, expiresInDays })
    .expect(201);
  return { bearer: `Bearer ${res.body.token as string}`, id: res.body.id as string, userId: user.id, expiresAt: Date.parse(res.body.expiresAt as string) };
}

describe('tokens created with a token', () => {
  it('refuses scopes the creating token lacks, even ones its owner has', async () => {
    const parent = await tokenWith(api, ['tokens.manage', 'accounts.view'], 7);
    const res = await api
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', parent.bearer)
      .send({ name: 'wider', scopes: ['accounts.view', 'audit.view'], expiresInDays: 1 })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await api.db.apiToken.count({ where: { userId: parent.userId } })).toBe(1);
  });

  it('refuses a lifetime longer than the creating token has left', async () => {
    const parent = await tokenWith(api, ['tokens.manage', 'accounts.view'], 7);
    const res = await api
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', parent.bearer)
      .send({ name: 'longer', scopes: ['accounts.view'], expiresInDays: 30 })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
  });

  it('gives a narrower, shorter token; without a lifetime it ends with its creator, and the audit event names the creator', async () => {
    const parent = await tokenWith(api, ['tokens.manage', 'accounts.view', 'audit.view'], 7);
    const before = Date.now();
    const shorter = await api
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', parent.bearer)
      .send({ name: unique('child'), scopes: ['accounts.view'], expiresInDays: 3 })
      .expect(201);
    const after = Date.now();
    expect(shorter.body.scopes).toEqual(['accounts.view']);
    expect(Date.parse(shorter.body.expiresAt)).toBeGreaterThanOrEqual(before + 3 * DAY);
    expect(Date.parse(shorter.body.expiresAt)).toBeLessThanOrEqual(after + 3 * DAY);
    const me = await api.request().get('/api/v1/auth/me').set('Authorization', `Bearer ${shorter.body.token}`).expect(200);
    expect(me.body.user.permissions).toEqual(['accounts.view']);

    const defaulted = await api
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', parent.bearer)
      .send({ name: unique('child'), scopes: ['audit.view'] })
      .expect(201);
    // The default (90 days) would outlive the creator: it is cut to the creator's own expiry.
    expect(Date.parse(defaulted.body.expiresAt)).toBe(parent.expiresAt);

    const event = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'token.create', objectId: shorter.body.id } });
    expect(event.details).toMatchObject({ createdWithTokenId: parent.id });
  });

  it('a session still gets the default 90 days', async () => {
    const { agent, csrf } = await loginAs(api, 'operator');
    const before = Date.now();
    const res = await agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', csrf)
      .send({ name: unique('t'), scopes: ['accounts.view'] })
      .expect(201);
    const after = Date.now();
    const expiresAt = Date.parse(res.body.expiresAt);
    expect(expiresAt).toBeGreaterThanOrEqual(before + 90 * DAY);
    expect(expiresAt).toBeLessThanOrEqual(after + 90 * DAY);
  });

  it('PASSMAN_TOKENS_CAN_CREATE_TOKENS=false refuses every token-created token; sessions still create them', async () => {
    const parent = await tokenWith(noMinting, ['tokens.manage', 'accounts.view'], 30);
    const res = await noMinting
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', parent.bearer)
      .send({ name: 'child', scopes: ['accounts.view'], expiresInDays: 1 })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    await tokenWith(noMinting, ['accounts.view'], 1);
  });

  it('revoking a token revokes the tokens it created, and theirs: a leaked token cannot outlive its revocation through a child', async () => {
    const parent = await tokenWith(api, ['tokens.manage', 'accounts.view'], 7);
    const child = await api
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', parent.bearer)
      .send({ name: unique('child'), scopes: ['tokens.manage', 'accounts.view'] })
      .expect(201);
    const grandchild = await api
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', `Bearer ${child.body.token}`)
      .send({ name: unique('grandchild'), scopes: ['accounts.view'] })
      .expect(201);
    const sibling = await tokenWith(api, ['accounts.view'], 7);

    await api.request().delete(`/api/v1/tokens/${parent.id}`).set('Authorization', parent.bearer).expect(204);
    for (const token of [child.body.token as string, grandchild.body.token as string]) {
      await api.request().get('/api/v1/accounts').set('Authorization', `Bearer ${token}`).expect(401);
    }
    const revoked = await api.db.apiToken.findMany({ where: { id: { in: [child.body.id, grandchild.body.id] } } });
    expect(revoked.map((t) => t.revokedReason)).toEqual(['owner', 'owner']);
    // Another token of another user is not touched.
    await api.request().get('/api/v1/accounts').set('Authorization', sibling.bearer).expect(200);
  });

  it('an administrator revoking a token revokes its descendants too', async () => {
    const parent = await tokenWith(api, ['tokens.manage', 'accounts.view'], 7);
    const child = await api
      .request()
      .post('/api/v1/tokens')
      .set('Authorization', parent.bearer)
      .send({ name: unique('child'), scopes: ['accounts.view'] })
      .expect(201);
    const admin = await loginAs(api, 'admin');
    await admin.agent.delete(`/api/v1/users/${parent.userId}/tokens/${parent.id}`).set('X-CSRF-Token', admin.csrf).expect(204);
    await api.request().get('/api/v1/accounts').set('Authorization', `Bearer ${child.body.token}`).expect(401);
  });

  it('a child created while its parent is being revoked is never left alive', async () => {
    for (let round = 0; round < 10; round += 1) {
      const parent = await tokenWith(api, ['tokens.manage', 'accounts.view'], 7);
      const [created] = await Promise.all([
        api
          .request()
          .post('/api/v1/tokens')
          .set('Authorization', parent.bearer)
          .send({ name: unique('racer'), scopes: ['accounts.view'] }),
        api.request().delete(`/api/v1/tokens/${parent.id}`).set('Authorization', parent.bearer),
      ]);
      if (created.status !== 201) continue;
      await api.request().get('/api/v1/accounts').set('Authorization', `Bearer ${created.body.token}`).expect(401);
    }
  });
});
