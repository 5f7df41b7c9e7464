import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Response } from 'supertest';
import { createTarget } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { api as client, newPassword, newUser, registerAccount } from '../jobs/jobs.test-util.js';

// Exclusive checkout: at most one open checkout of the account, whoever asks, however many at once.
// No SSH target is needed: checkout and check-in only read and write the vault.

let pm: TestApi;
let admin: LoggedIn;
let alice: LoggedIn;
let bob: LoggedIn;
let targetId: string;

beforeAll(async () => {
  pm = await createTestApi();
  [admin, alice, bob] = await Promise.all([loginAs(pm, 'admin'), loginAs(pm, 'operator'), loginAs(pm, 'operator')]);
  targetId = (await createTarget(pm)).id;
});
afterAll(async () => {
  await pm?.close();
});

async function accountWithPolicy(policy: { checkoutExclusive: boolean; checkoutMaxMinutes?: number | null; resetAfterCheckin?: boolean }) {
  const created = await client(admin)
    .post('/policies', { name: newUser('p'), ...policy })
    .expect(201);
  const accountId = await registerAccount(admin, targetId, newUser(), newPassword());
  await client(admin).patch(`/accounts/${accountId}`, { policyId: created.body.id }).expect(200);
  return accountId;
}

const checkout = (who: LoggedIn, accountId: string) => client(who).post(`/accounts/${accountId}/checkout`, { credentialType: 'PASSWORD' });
const checkin = (who: LoggedIn, accountId: string) => client(who).post(`/accounts/${accountId}/checkin`);

describe('exclusive checkout', () => {
  it('without a maximum duration holds until check-in: others and the holder get 409 saying who, since when, until when', async () => {
    const accountId = await accountWithPolicy({ checkoutExclusive: true, checkoutMaxMinutes: null });
    const first = await checkout(alice, accountId).expect(200);
    expect(first.body.expiresAt).toBeNull();

    const other = await checkout(bob, accountId).expect(409);
    expect(other.body).toMatchObject({
      code: 'CONFLICT',
      heldByYou: false,
      heldBy: alice.user.username,
      checkedOutAt: first.body.checkedOutAt,
      expiresAt: null,
    });
    expect(JSON.stringify(other.body)).not.toContain(first.body.secret);
    const again = await checkout(alice, accountId).expect(409);
    expect(again.body).toMatchObject({ code: 'CONFLICT', heldByYou: true, checkedOutAt: first.body.checkedOutAt, expiresAt: null });

    await checkin(alice, accountId).expect(200);
    const next = await checkout(bob, accountId).expect(200);
    expect(next.body.secret).toBe(first.body.secret);
    // The refused attempts revealed nothing and were not recorded as checkouts.
    const checkouts = await pm.db.auditEvent.count({ where: { action: 'credential.checkout', objectId: first.body.credentialId } });
    expect(checkouts).toBe(2);
  });

  it('with a maximum duration holds until check-in or expiry, whichever comes first', async () => {
    const accountId = await accountWithPolicy({ checkoutExclusive: true, checkoutMaxMinutes: 30 });
    const first = await checkout(alice, accountId).expect(200);
    expect(Date.parse(first.body.expiresAt) - Date.parse(first.body.checkedOutAt)).toBe(30 * 60_000);
    expect((await checkout(bob, accountId).expect(409)).body).toMatchObject({ heldByYou: false, expiresAt: first.body.expiresAt });

    // The checkout lapses (moved into the past rather than waiting half an hour).
    await pm.db.account.update({ where: { id: accountId }, data: { checkoutExpiresAt: new Date(Date.now() - 1000) } });
    const after = await checkout(bob, accountId).expect(200);
    expect((await pm.db.account.findUniqueOrThrow({ where: { id: accountId } })).checkedOutById).toBe(bob.user.id);
    expect(after.body.expiresAt).not.toBeNull();
  });

  it('non-exclusive policies keep letting anyone check out, the holder again too', async () => {
    const accountId = await accountWithPolicy({ checkoutExclusive: false });
    await checkout(alice, accountId).expect(200);
    await checkout(bob, accountId).expect(200);
    await checkout(alice, accountId).expect(200);
  });

  it('check-in: 409 when nothing is checked out, 409 for someone else, 404 for no account', async () => {
    const accountId = await accountWithPolicy({ checkoutExclusive: true });
    expect((await checkin(alice, accountId).expect(409)).body.code).toBe('CONFLICT');
    await checkout(alice, accountId).expect(200);
    expect((await checkin(bob, accountId).expect(409)).body.code).toBe('CONFLICT');
    await checkin(admin, accountId).expect(200); // an administrator may return anyone's checkout
    expect((await checkin(alice, '0190f3a4-0000-7000-8000-00000000dead').expect(404)).body.code).toBe('NOT_FOUND');
  });

  it('20 concurrent checkouts from two users, 20 rounds: exactly one winner each round, the rest 409', async () => {
    const accountId = await accountWithPolicy({ checkoutExclusive: true });
    const users = [alice, bob];
    for (let round = 0; round < 20; round += 1) {
      const askers = Array.from({ length: 20 }, (_, i) => users[i % 2]!);
      const responses: Response[] = await Promise.all(askers.map((who) => checkout(who, accountId)));
      const statuses = responses.map((r) => r.status);
      expect(statuses.filter((s) => s === 200)).toHaveLength(1);
      expect(statuses.filter((s) => s === 409)).toHaveLength(19);
      const winner = askers[statuses.indexOf(200)]!;
      responses.forEach((r, i) => {
        if (r.status === 409) expect([r.body.code, r.body.heldByYou]).toEqual(['CONFLICT', askers[i] === winner]);
      });
      await checkin(winner, accountId).expect(200);
    }
    const credentialId = (await pm.db.credential.findFirstOrThrow({ where: { accountId } })).id;
    expect(await pm.db.auditEvent.count({ where: { action: 'credential.checkout', objectId: credentialId } })).toBe(20);
    expect(await pm.db.auditEvent.count({ where: { action: 'credential.checkin', objectId: accountId } })).toBe(20);
  }, 120_000);
});

describe('check-in on a policy that resets after it', () => {
  it('with a reset of the account in progress, the check-in stands (200) and its reset is recorded failed, RESET_IN_PROGRESS', async () => {
    const accountId = await accountWithPolicy({ checkoutExclusive: false, resetAfterCheckin: true });
    await checkout(alice, accountId).expect(200);
    // No worker runs here: the reset asked for now stays in progress.
    const running = await client(admin).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: true }).expect(202);

    const done = await checkin(alice, accountId).expect(200);
    expect(done.body.resetJob).toMatchObject({ kind: 'RESET', state: 'failed', errorCode: 'RESET_IN_PROGRESS' });
    expect(done.body.resetJob.id).not.toBe(running.body.id);
    // The check-in was not undone: the account is free, and the reset in progress is untouched.
    expect((await pm.db.account.findUniqueOrThrow({ where: { id: accountId } })).checkedOutById).toBeNull();
    expect((await client(admin).get(`/jobs/${running.body.id}`).expect(200)).body.state).toBe('queued');
    const refused = await pm.db.auditEvent.findFirstOrThrow({ where: { action: 'credential.reset.requested', outcome: 'failure' }, orderBy: { seq: 'desc' } });
    expect(refused.details).toMatchObject({ accountId, jobId: done.body.resetJob.id, reason: 'RESET_IN_PROGRESS' });
  });
});
