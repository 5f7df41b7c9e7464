import { setTimeout as delay } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Tx } from '../../db/transaction.js';
import { createTestApi, loginAs, unique, type LoggedIn, type TestApi } from '../../test/harness.js';

// Changing a user's password, role or status revokes its tokens and ends its sessions for
// good, in the same transaction as the change, even against requests racing the change.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

interface WithAccess extends LoggedIn {
  bearer: string;
  tokenId: string;
}

/** An operator with a browser session and an API token made in it. */
async function operatorWithAccess(): Promise<WithAccess> {
  const session = await loginAs(api, 'operator');
  const token = await session.agent
    .post('/api/v1/tokens')
    .set('X-CSRF-Token', session.csrf)
    .send({ name: unique('t'), scopes: ['accounts.view'] })
    .expect(201);
  await api.request().get('/api/v1/auth/me').set('Authorization', `Bearer ${token.body.token}`).expect(200);
  await session.agent.get('/api/v1/auth/me').expect(200);
  return { ...session, bearer: `Bearer ${token.body.token as string}`, tokenId: token.body.id as string };
}

async function expectLockedOut(who: WithAccess) {
  await who.agent.get('/api/v1/auth/me').expect(401);
  await api.request().get('/api/v1/auth/me').set('Authorization', who.bearer).expect(401);
}

describe('password, role and status changes revoke access for good', () => {
  it('a password change revokes the user’s tokens and ends its sessions, in one audited change', async () => {
    const admin = await loginAs(api, 'admin');
    const who = await operatorWithAccess();
    const res = await admin.agent.patch(`/api/v1/users/${who.user.id}`).set('X-CSRF-Token', admin.csrf).send({ password: 'a-brand-new-password' }).expect(200);
    await expectLockedOut(who);
    const token = await api.db.apiToken.findUniqueOrThrow({ where: { id: who.tokenId } });
    expect(token.revokedAt).not.toBeNull();
    expect(token.revokedReason).toBe('password-changed');
    expect(await api.db.session.count({ where: { userId: who.user.id } })).toBe(0);
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { requestId: res.headers['x-request-id'], action: 'user.update' } });
    expect(event.details).toMatchObject({ sessionsEnded: 1, tokensRevoked: 1 });
  });

  it('disabling revokes; re-enabling revives neither the old token nor the old session', async () => {
    const admin = await loginAs(api, 'admin');
    const who = await operatorWithAccess();
    await admin.agent.patch(`/api/v1/users/${who.user.id}`).set('X-CSRF-Token', admin.csrf).send({ disabled: true }).expect(200);
    await admin.agent.patch(`/api/v1/users/${who.user.id}`).set('X-CSRF-Token', admin.csrf).send({ disabled: false }).expect(200);
    await expectLockedOut(who);
    expect((await api.db.apiToken.findUniqueOrThrow({ where: { id: who.tokenId } })).revokedReason).toBe('user-disabled');
    // The user itself can sign in again, with a new session.
    await api.request().post('/api/v1/auth/login').send({ username: who.user.username, password: who.user.password }).expect(200);
  });

  it('a role change revokes the tokens (their scopes were chosen for the old role)', async () => {
    const admin = await loginAs(api, 'admin');
    const who = await operatorWithAccess();
    await admin.agent.patch(`/api/v1/users/${who.user.id}`).set('X-CSRF-Token', admin.csrf).send({ role: 'auditor' }).expect(200);
    await expectLockedOut(who);
    expect((await api.db.apiToken.findUniqueOrThrow({ where: { id: who.tokenId } })).revokedReason).toBe('role-changed');
  });

  it('a new display name revokes nothing', async () => {
    const admin = await loginAs(api, 'admin');
    const who = await operatorWithAccess();
    await admin.agent.patch(`/api/v1/users/${who.user.id}`).set('X-CSRF-Token', admin.csrf).send({ displayName: 'Someone Else' }).expect(200);
    await who.agent.get('/api/v1/auth/me').expect(200);
    await api.request().get('/api/v1/auth/me').set('Authorization', who.bearer).expect(200);
  });
});

/**
 * Runs `change` in a transaction that stays open while `request` runs, until `request` either
 * finishes or waits for a lock the transaction holds; then commits it.
 */
async function racing<T>(change: (tx: Tx) => Promise<void>, request: () => Promise<T>): Promise<T> {
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  let changed!: (pid: number) => void;
  const holderPid = new Promise<number>((resolve) => (changed = resolve));
  const holder = api.db.$transaction(
    async (tx) => {
      const [row] = await tx.$queryRaw<{ pid: number }[]>`SELECT pg_backend_pid() AS pid`;
      await change(tx);
      changed(row!.pid);
      await released;
    },
    { timeout: 30_000 },
  );
  const pid = await holderPid;
  let settled = false;
  const pending = request().finally(() => {
    settled = true;
  });
  for (;;) {
    const [waiting] = await api.db.$queryRaw<{ n: number }[]>`SELECT count(*)::int AS n FROM pg_stat_activity WHERE ${pid}::int = ANY(pg_blocking_pids(pid))`;
    if (settled || waiting!.n > 0) break;
    await delay(5);
  }
  release();
  await holder;
  return pending;
}

/** What PATCH /users/{id} does to a user when its password changes, by hand in the caller's transaction. */
const changePasswordIn = (userId: string, passwordHash: string) => async (tx: Tx) => {
  await tx.$executeRaw`UPDATE users SET password_hash = ${passwordHash} WHERE id = ${userId}::uuid`;
  await tx.$executeRaw`DELETE FROM sessions WHERE user_id = ${userId}::uuid`;
  await tx.$executeRaw`UPDATE api_tokens SET revoked_at = now(), revoked_reason = 'password-changed' WHERE user_id = ${userId}::uuid AND revoked_at IS NULL`;
};

describe('requests racing a change', () => {
  it('a login with the old password that is verified while the password changes gets no session', async () => {
    const who = await operatorWithAccess();
    const newHash = await api.services.hasher.hash('the-password-after-the-change');
    const res = await racing(changePasswordIn(who.user.id, newHash), async () =>
      api.request().post('/api/v1/auth/login').send({ username: who.user.username, password: who.user.password }),
    );
    expect([res.status, res.body.code]).toEqual([401, 'INVALID_CREDENTIALS']);
    expect(await api.db.session.count({ where: { userId: who.user.id } })).toBe(0);
  });

  it('a token created in a session while the user’s password changes does not outlive the change', async () => {
    const who = await operatorWithAccess();
    const newHash = await api.services.hasher.hash('the-password-after-the-change');
    const res = await racing(changePasswordIn(who.user.id, newHash), async () =>
      who.agent
        .post('/api/v1/tokens')
        .set('X-CSRF-Token', who.csrf)
        .send({ name: unique('racer'), scopes: ['accounts.view'] }),
    );
    expect([res.status, res.body.code]).toEqual([401, 'UNAUTHENTICATED']);
    expect(await api.db.apiToken.count({ where: { userId: who.user.id, revokedAt: null } })).toBe(0);
  });
});
