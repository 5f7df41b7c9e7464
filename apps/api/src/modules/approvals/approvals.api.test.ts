import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { VaultAction } from '@passman/contracts';
import {
  bearerFor,
  createAccount,
  createApprovalRule,
  createCredential,
  createFolder,
  createGrant,
  createGroup,
  createTarget,
  createToken,
  createUser,
  loginWith,
} from '../../test/factories.js';
import { createTestApi, type LoggedIn, type TestApi } from '../../test/harness.js';

// Dual control over HTTP: a checkout or reset under an approval rule needs another person's
// approval, used once within its window. Beside the happy path, what an attacker would try:
// approving their own request (directly, through a group, as an administrator), deciding on an
// account they cannot see, reusing an approval, using it late, using someone else's, a narrow
// token, and two decisions racing.

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

const send = (who: LoggedIn, method: 'post' | 'put', path: string, body: object = {}) =>
  who.agent[method](`/api/v1${path}`).set('X-CSRF-Token', who.csrf).send(body);
const get = (who: LoggedIn, path: string) => who.agent.get(`/api/v1${path}`);

/** An operator whose rights are exactly `actions` on `folderId` (no group). */
async function operatorWith(folderId: string, actions: VaultAction[]) {
  const user = await createUser(api, 'operator', { vaultRights: 'none' });
  for (const action of actions) await createGrant(api, { object: { type: 'folder', id: folderId }, principal: { type: 'user', id: user.id }, action });
  return loginWith(api, user);
}

/**
 * A folder with a checkout rule (at most 60 minutes) over a target and an account with a password;
 * A may view, check out and reset there; B may view and approve.
 */
async function arrange(options: { rule?: 'folder' | 'account'; action?: 'checkout' | 'reset' } = {}) {
  const folder = await createFolder(api);
  const target = await createTarget(api, { folderId: folder.id });
  const account = await createAccount(api, target.id);
  await createCredential(api, account.id);
  const action = options.action ?? 'checkout';
  await createApprovalRule(api, options.rule === 'account' ? { type: 'account', id: account.id } : { type: 'folder', id: folder.id }, action, 60);
  const a = await operatorWith(folder.id, ['view', 'checkout', 'reset']);
  const b = await operatorWith(folder.id, ['view', 'approve']);
  return { folder, target, account, a, b };
}

const checkout = (who: LoggedIn, accountId: string) => send(who, 'post', `/accounts/${accountId}/checkout`, {});
const checkin = (who: LoggedIn, accountId: string) => send(who, 'post', `/accounts/${accountId}/checkin`);
const ask = (who: LoggedIn, accountId: string, action: 'checkout' | 'reset' = 'checkout', minutes = 30) =>
  send(who, 'post', '/approvals', { accountId, action, reason: 'Incident 4711: restore', minutes });
const eventsOf = (objectId: string) => api.db.auditEvent.findMany({ where: { objectId }, orderBy: { seq: 'asc' } });

describe('a checkout under an approval rule', () => {
  it('is refused without an approval, with what the request dialog needs; approved, it is allowed once', async () => {
    const { account, a, b } = await arrange();
    const refused = await checkout(a, account.id).expect(403);
    expect(refused.body.code).toBe('APPROVAL_REQUIRED');
    expect(refused.body).toMatchObject({ accountId: account.id, action: 'checkout', maxMinutes: 60, pendingRequestId: null });
    expect(refused.body.secret).toBeUndefined();

    const requested = await ask(a, account.id).expect(201);
    expect(requested.body).toMatchObject({ state: 'pending', action: 'checkout', requestedMinutes: 30, maxMinutes: 60, mayDecide: false });
    expect(requested.body.requester.id).toBe(a.user.id);
    const id = requested.body.id as string;
    // Still refused while pending, and the problem names the request that waits.
    expect((await checkout(a, account.id).expect(403)).body.pendingRequestId).toBe(id);
    // A second request for the same thing while one waits: 409.
    await ask(a, account.id).expect(409);

    expect((await get(b, '/approvals/waiting-count').expect(200)).body.count).toBeGreaterThanOrEqual(1);
    const toApprove = await get(b, '/approvals?view=to-approve&state=pending&limit=200').expect(200);
    expect(toApprove.body.items.find((x: { id: string }) => x.id === id)).toMatchObject({ mayDecide: true, reason: 'Incident 4711: restore' });
    const mine = await get(a, '/approvals?view=mine').expect(200);
    expect(mine.body.items.map((x: { id: string }) => x.id)).toEqual([id]);
    // The requester has nothing to decide.
    expect((await get(a, '/approvals?view=to-approve').expect(200)).body.items).toEqual([]);

    const approved = await send(b, 'post', `/approvals/${id}/approve`, { comment: 'ok for the restore', minutes: 20 }).expect(200);
    expect(approved.body).toMatchObject({ state: 'approved', comment: 'ok for the restore', decidedBy: { id: b.user.id } });
    const windowMs = Date.parse(approved.body.windowEndsAt) - Date.parse(approved.body.windowStartsAt);
    expect(windowMs).toBe(20 * 60_000);

    const revealed = await checkout(a, account.id).expect(200);
    expect(typeof revealed.body.secret).toBe('string');
    await checkin(a, account.id).expect(200);
    // The approval allowed one checkout: the second is refused.
    expect((await checkout(a, account.id).expect(403)).body.code).toBe('APPROVAL_REQUIRED');
    expect((await get(a, `/approvals/${id}`).expect(200)).body).toMatchObject({ state: 'used' });

    const events = (await eventsOf(id)).map((e) => e.action);
    expect(events).toEqual(['approval.request', 'approval.approve', 'approval.use']);
    const checkoutEvent = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'credential.checkout', actorId: a.user.id } });
    expect(checkoutEvent.details).toMatchObject({ approvalId: id });
  });

  it('two identical requests racing: one waits for a decision, the other is told it exists', async () => {
    const { account, a } = await arrange();
    const answers = await Promise.all([ask(a, account.id), ask(a, account.id), ask(a, account.id)]);
    expect(answers.map((r) => r.status).sort()).toEqual([201, 409, 409]);
    const created = answers.find((r) => r.status === 201)!.body.id as string;
    for (const refused of answers.filter((r) => r.status === 409)) expect(refused.body.approvalId).toBe(created);
    expect(await api.db.approvalRequest.count({ where: { accountId: account.id, requesterId: a.user.id, state: 'pending' } })).toBe(1);
  });

  it('on an account applies to that account only; its siblings check out freely', async () => {
    const { target, account, a } = await arrange({ rule: 'account' });
    const sibling = await createAccount(api, target.id);
    await createCredential(api, sibling.id);
    await checkout(a, sibling.id).expect(200);
    expect((await checkout(a, account.id).expect(403)).body.code).toBe('APPROVAL_REQUIRED');
  });

  it('needs the right for the checkout itself: no right, no request; no rule, nothing to request', async () => {
    const { folder, account } = await arrange();
    const viewer = await operatorWith(folder.id, ['view']);
    expect((await ask(viewer, account.id).expect(403)).body.code).toBe('FORBIDDEN');
    const stranger = await loginWith(api, await createUser(api, 'operator', { vaultRights: 'none' }));
    await ask(stranger, account.id).expect(404);
    const free = await createAccount(api, (await createTarget(api, { folderId: (await createFolder(api)).id })).id);
    const admin = await loginWith(api, await createUser(api, 'admin'));
    await ask(admin, free.id).expect(409);
    const tooLong = await ask(admin, account.id, 'checkout', 61).expect(422);
    expect(tooLong.body.code).toBe('VALIDATION_FAILED');
  });

  it("A's approval is A's: B, who may check out too, is still refused, and A's approval stays open", async () => {
    const { folder, account, a, b } = await arrange();
    const other = await operatorWith(folder.id, ['view', 'checkout']);
    const id = (await ask(a, account.id).expect(201)).body.id;
    await send(b, 'post', `/approvals/${id}/approve`).expect(200);
    expect((await checkout(other, account.id).expect(403)).body.code).toBe('APPROVAL_REQUIRED');
    expect((await get(a, `/approvals/${id}`).expect(200)).body.state).toBe('approved');
    await checkout(a, account.id).expect(200);
  });

  it('after its window the approval no longer allows anything, and is recorded as expired', async () => {
    const { account, a, b } = await arrange();
    const id = (await ask(a, account.id).expect(201)).body.id;
    await send(b, 'post', `/approvals/${id}/approve`).expect(200);
    // The window has passed.
    await api.db.approvalRequest.update({
      where: { id },
      data: { windowStartsAt: new Date(Date.now() - 7_200_000), windowEndsAt: new Date(Date.now() - 1000) },
    });
    expect((await checkout(a, account.id).expect(403)).body.code).toBe('APPROVAL_REQUIRED');
    expect((await get(a, `/approvals/${id}`).expect(200)).body.state).toBe('expired');
    const expiry = (await eventsOf(id)).find((e) => e.action === 'approval.expire');
    expect(expiry?.details).toMatchObject({ before: { state: 'approved' }, after: { state: 'expired' } });
    expect(expiry?.actorId).toBeNull();
  });

  it('a request left undecided past its deadline expires and can no longer be approved', async () => {
    const { account, a, b } = await arrange();
    const id = (await ask(a, account.id).expect(201)).body.id;
    await api.db.approvalRequest.update({ where: { id }, data: { pendingUntil: new Date(Date.now() - 1000) } });
    const late = await send(b, 'post', `/approvals/${id}/approve`).expect(409);
    expect(late.body.state).toBe('expired');
    await checkout(a, account.id).expect(403);
  });
});

describe('deciding', () => {
  it('nobody approves their own request: not directly, not through a group, not as an administrator', async () => {
    const { folder, account, a } = await arrange();
    const group = await createGroup(api, [a.user.id]);
    await createGrant(api, { object: { type: 'folder', id: folder.id }, principal: { type: 'group', id: group.id }, action: 'approve' });
    const id = (await ask(a, account.id).expect(201)).body.id;
    const own = await send(a, 'post', `/approvals/${id}/approve`).expect(403);
    expect(own.body.code).toBe('APPROVAL_OWN_REQUEST');
    await send(a, 'post', `/approvals/${id}/deny`).expect(403);
    // Their own request is never counted or listed as one to decide.
    expect((await get(a, '/approvals?view=to-approve').expect(200)).body.items.some((x: { id: string }) => x.id === id)).toBe(false);

    const admin = await loginWith(api, await createUser(api, 'admin'));
    const adminsOwn = (await ask(admin, account.id).expect(201)).body.id;
    expect((await send(admin, 'post', `/approvals/${adminsOwn}/approve`).expect(403)).body.code).toBe('APPROVAL_OWN_REQUEST');
    // The database refuses it too, whatever the code above it does.
    await expect(api.db.approvalRequest.update({ where: { id: adminsOwn }, data: { decidedById: admin.user.id } })).rejects.toThrow();
    // Another administrator may approve it.
    const other = await loginWith(api, await createUser(api, 'admin'));
    await send(other, 'post', `/approvals/${adminsOwn}/approve`).expect(200);
    expect((await get(a, `/approvals/${id}`).expect(200)).body.state).toBe('pending');
  });

  it('an approver who cannot see the account gets 404 and never sees the request; one who sees it but may not approve gets 403', async () => {
    const { folder, account, a } = await arrange();
    const id = (await ask(a, account.id).expect(201)).body.id;
    const elsewhere = await createFolder(api);
    const blind = await operatorWith(elsewhere.id, ['view', 'approve']);
    expect((await send(blind, 'post', `/approvals/${id}/approve`).expect(404)).body.code).toBe('NOT_FOUND');
    await get(blind, `/approvals/${id}`).expect(404);
    expect((await get(blind, '/approvals?view=to-approve&limit=200').expect(200)).body.items.some((x: { id: string }) => x.id === id)).toBe(false);
    // Approve granted on the account, but view denied: still hidden.
    await createGrant(api, { object: { type: 'account', id: account.id }, principal: { type: 'user', id: blind.user.id }, action: 'approve' });
    await send(blind, 'post', `/approvals/${id}/approve`).expect(404);

    const viewer = await operatorWith(folder.id, ['view']);
    expect((await send(viewer, 'post', `/approvals/${id}/approve`).expect(403)).body.code).toBe('FORBIDDEN');
    await get(viewer, `/approvals/${id}`).expect(404);
    expect((await get(viewer, '/approvals/waiting-count').expect(200)).body.count).toBe(0);
    expect((await get(a, `/approvals/${id}`).expect(200)).body.state).toBe('pending');
  });

  it('a token without approvals.approve decides nothing, whatever its owner may do', async () => {
    const { account, a, b } = await arrange();
    const id = (await ask(a, account.id).expect(201)).body.id;
    const narrow = await createToken(api, b, { scopes: ['accounts.view', 'targets.view'] });
    const res = await api.request().post(`/api/v1/approvals/${id}/approve`).set('Authorization', `Bearer ${narrow.token}`).send({}).expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    const list = await api.request().get('/api/v1/approvals?view=to-approve').set('Authorization', `Bearer ${narrow.token}`).expect(200);
    expect(list.body.items).toEqual([]);
    // A token with the permission but an owner without the right on the account: 403.
    const other = await bearerFor(api, 'operator', ['accounts.view', 'targets.view', 'approvals.approve']);
    await api.request().post(`/api/v1/approvals/${id}/approve`).set('Authorization', `Bearer ${other}`).send({}).expect(403);
    expect((await get(a, `/approvals/${id}`).expect(200)).body.state).toBe('pending');
  });

  it('two approvers racing, approve against deny: exactly one wins, and one decision is audited', async () => {
    const { folder, account, a, b } = await arrange();
    const c = await operatorWith(folder.id, ['view', 'approve']);
    for (let round = 0; round < 3; round += 1) {
      const id = (await ask(a, account.id).expect(201)).body.id;
      const [x, y] = await Promise.all([send(b, 'post', `/approvals/${id}/approve`), send(c, 'post', `/approvals/${id}/deny`)]);
      expect([x.status, y.status].sort()).toEqual([200, 409]);
      const winner = x.status === 200 ? x : y;
      const state = (await get(a, `/approvals/${id}`).expect(200)).body.state;
      expect(state).toBe(winner.body.state);
      const decisions = (await eventsOf(id)).filter((e) => e.action === 'approval.approve' || e.action === 'approval.deny');
      expect(decisions).toHaveLength(1);
      if (state === 'approved') {
        await checkout(a, account.id).expect(200);
        await checkin(a, account.id).expect(200);
      }
    }
  });

  it('approve racing the requester’s cancel: one wins; a cancelled request allows nothing', async () => {
    const { account, a, b } = await arrange();
    for (let round = 0; round < 3; round += 1) {
      const id = (await ask(a, account.id).expect(201)).body.id;
      const [approve, cancel] = await Promise.all([send(b, 'post', `/approvals/${id}/approve`), send(a, 'post', `/approvals/${id}/cancel`)]);
      // Cancel also withdraws an approved, unused request: both may succeed, in that order.
      const state = (await get(a, `/approvals/${id}`).expect(200)).body.state;
      if (cancel.status === 200) expect(state).toBe('cancelled');
      else expect([approve.status, cancel.status, state]).toEqual([200, 409, 'approved']);
      if (approve.status !== 200) expect(approve.status).toBe(409);
      if (state === 'cancelled') await checkout(a, account.id).expect(403);
      else {
        await checkout(a, account.id).expect(200);
        await checkin(a, account.id).expect(200);
      }
    }
  });

  it('a deny, with its comment, leaves the checkout refused; only the requester may cancel', async () => {
    const { account, a, b } = await arrange();
    const id = (await ask(a, account.id).expect(201)).body.id;
    await send(b, 'post', `/approvals/${id}/cancel`).expect(404);
    const denied = await send(b, 'post', `/approvals/${id}/deny`, { comment: 'not during the freeze' }).expect(200);
    expect(denied.body).toMatchObject({ state: 'denied', comment: 'not during the freeze' });
    await checkout(a, account.id).expect(403);
    await send(a, 'post', `/approvals/${id}/cancel`).expect(409);
    await send(b, 'post', `/approvals/${id}/approve`).expect(409);
  });
});

describe('a reset under an approval rule', () => {
  const reset = (who: LoggedIn, accountId: string) =>
    send(who, 'post', `/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: false });

  it('needs an approval, uses it once, and a bulk reset leaves the account out', async () => {
    const { account, a, b } = await arrange({ rule: 'account', action: 'reset' });
    expect((await reset(a, account.id).expect(403)).body).toMatchObject({ code: 'APPROVAL_REQUIRED', action: 'reset' });
    // The checkout has no rule here.
    await checkout(a, account.id).expect(200);
    const id = (await ask(a, account.id, 'reset').expect(201)).body.id;
    await send(b, 'post', `/approvals/${id}/approve`).expect(200);
    await reset(a, account.id).expect(202);
    expect((await get(a, `/approvals/${id}`).expect(200)).body.state).toBe('used');
    expect((await reset(a, account.id).expect(403)).body.code).toBe('APPROVAL_REQUIRED');

    const bulk = await send(a, 'post', '/jobs/bulk', { kind: 'RESET', accountIds: [account.id], reset: { credentialType: 'PASSWORD', changeOnTarget: false } });
    expect(bulk.status).toBe(403);
    expect(bulk.body.refused).toEqual([expect.objectContaining({ accountId: account.id, code: 'APPROVAL_REQUIRED' })]);
  });
});

describe('PassMan itself', () => {
  it('is never asked: the AutoReset after a check-in runs under a reset rule', async () => {
    const { account, a } = await arrange({ rule: 'account', action: 'reset' });
    const admin = await loginWith(api, await createUser(api, 'admin'));
    const policy = await send(admin, 'post', '/policies', { name: `auto-${account.id.slice(-8)}`, resetAfterCheckin: true }).expect(201);
    await admin.agent.patch(`/api/v1/accounts/${account.id}`).set('X-CSRF-Token', admin.csrf).send({ policyId: policy.body.id }).expect(200);
    await checkout(a, account.id).expect(200);
    const checkedIn = await checkin(a, account.id).expect(200);
    expect(checkedIn.body.resetJob).toMatchObject({ kind: 'RESET' });
    expect((await api.db.job.findUniqueOrThrow({ where: { id: checkedIn.body.resetJob.id } })).accountId).toBe(account.id);
    // The person checking in still needs an approval for a reset of their own.
    expect(
      (await send(a, 'post', `/accounts/${account.id}/reset`, { credentialType: 'PASSWORD', generate: true, changeOnTarget: false }).expect(403)).body.code,
    ).toBe('APPROVAL_REQUIRED');
  });
});

describe('rules', () => {
  it('are read with what they inherit, set by manage_permissions, loosened or removed only by an administrator, audited', async () => {
    const top = await createFolder(api);
    const sub = await createFolder(api, { parentId: top.id });
    const target = await createTarget(api, { folderId: sub.id });
    const account = await createAccount(api, target.id);
    const manager = await operatorWith(top.id, ['view', 'manage_permissions']);
    const set = (who: LoggedIn, path: string, rules: object[]) => send(who, 'put', `${path}/approval-rules`, { rules });

    await set(manager, `/folders/${top.id}`, [{ action: 'checkout', maxMinutes: 120 }]).expect(200);
    const onAccount = await set(manager, `/accounts/${account.id}`, [{ action: 'reset', maxMinutes: 15 }]).expect(200);
    expect(onAccount.body.rules).toEqual(
      expect.arrayContaining([
        { action: 'checkout', maxMinutes: 120, object: { type: 'folder', id: top.id, name: top.name }, inherited: true },
        { action: 'reset', maxMinutes: 15, object: { type: 'account', id: account.id, name: account.username }, inherited: false },
      ]),
    );
    const ofSub = await get(manager, `/folders/${sub.id}/approval-rules`).expect(200);
    expect(ofSub.body.rules).toEqual([expect.objectContaining({ action: 'checkout', inherited: true })]);
    // Tightening is allowed; loosening or removing is not, for anyone but an administrator.
    await set(manager, `/folders/${top.id}`, [{ action: 'checkout', maxMinutes: 60 }]).expect(200);
    expect((await set(manager, `/folders/${top.id}`, [{ action: 'checkout', maxMinutes: 90 }]).expect(403)).body.loosened).toEqual(['checkout']);
    await set(manager, `/folders/${top.id}`, []).expect(403);
    const admin = await loginWith(api, await createUser(api, 'admin'));
    await set(admin, `/folders/${top.id}`, []).expect(200);
    const changes = (await eventsOf(top.id)).filter((e) => e.action === 'approval.rules.set').map((e) => e.details);
    expect(changes).toEqual([
      { before: { rules: [] }, after: { rules: [{ action: 'checkout', maxMinutes: 120 }] } },
      { before: { rules: [{ action: 'checkout', maxMinutes: 120 }] }, after: { rules: [{ action: 'checkout', maxMinutes: 60 }] } },
      { before: { rules: [{ action: 'checkout', maxMinutes: 60 }] }, after: { rules: [] } },
    ]);
    // Without manage_permissions: 403; on a folder hidden from the caller: 404.
    const viewer = await operatorWith(top.id, ['view']);
    await set(viewer, `/folders/${top.id}`, [{ action: 'checkout', maxMinutes: 5 }]).expect(403);
    const stranger = await loginWith(api, await createUser(api, 'operator', { vaultRights: 'none' }));
    await get(stranger, `/folders/${top.id}/approval-rules`).expect(404);
    await get(stranger, `/accounts/${account.id}/approval-rules`).expect(404);
    await get(stranger, `/targets/${target.id}/approval-rules`).expect(404);
    // Writing where one cannot see: 404 as for a missing object, and nothing is stored.
    await set(stranger, `/folders/${sub.id}`, [{ action: 'checkout', maxMinutes: 5 }]).expect(404);
    await set(stranger, `/accounts/${account.id}`, [{ action: 'checkout', maxMinutes: 5 }]).expect(404);
    expect((await get(admin, `/folders/${sub.id}/approval-rules`).expect(200)).body.rules).toEqual([]);
    await set(manager, `/folders/${top.id}`, [
      { action: 'checkout', maxMinutes: 5 },
      { action: 'checkout', maxMinutes: 6 },
    ]).expect(422);
  });
});
