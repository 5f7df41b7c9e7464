import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { VaultAction } from '@passman/contracts';
import {
  createAccount,
  createApprovalRequest,
  createApprovalRule,
  createCredential,
  createFolder,
  createGrant,
  createGroup,
  createPolicy,
  createTarget,
  createUser,
  loginWith,
  type GrantSpec,
} from '../../test/factories.js';
import { createTestApi, type LoggedIn, type TestApi } from '../../test/harness.js';

// Every right of the vault tree, each exercised over HTTP by the route that needs it, for an
// operator whose rights come only from grants, in six situations: granted directly on the
// account, inherited from a folder above its target, granted to a group they are in, allowed
// above but denied on the account, denied above but allowed on the account, and not granted.
// The first three allow; the others refuse — 404 where the right is `view` (the caller must not
// learn the account exists), 403 for the rest (they see it, and may not act).

let api: TestApi;
beforeAll(async () => {
  api = await createTestApi();
});
afterAll(async () => {
  await api.close();
});

type Scenario = 'direct' | 'inherited' | 'group' | 'denied below an allow' | 'denied above an allow' | 'none';
const ALLOWING: Scenario[] = ['direct', 'inherited', 'group'];
const SCENARIOS: Scenario[] = [...ALLOWING, 'denied below an allow', 'denied above an allow', 'none'];

interface Fixture {
  operator: LoggedIn;
  accountId: string;
  targetId: string;
  folderId: string;
}

/**
 * The grants of one situation for `userId` and `action` on `object`, below the folder `top`:
 * granted on the object, inherited from `top`, to a group of theirs on `groupOn`, allowed on top
 * but denied on the object, denied on top (through a group: DENY wins across principals too) but
 * allowed on the object, or nothing.
 */
async function grantScenario(
  scenario: Scenario,
  action: VaultAction,
  userId: string,
  at: { top: string; object: GrantSpec['object']; groupOn: GrantSpec['object'] },
): Promise<void> {
  const me = { type: 'user' as const, id: userId };
  const onTop = { type: 'folder' as const, id: at.top };
  const group = async () => ({ type: 'group' as const, id: (await createGroup(api, [userId])).id });
  switch (scenario) {
    case 'direct':
      return void (await createGrant(api, { object: at.object, principal: me, action }));
    case 'inherited':
      return void (await createGrant(api, { object: onTop, principal: me, action }));
    case 'group':
      return void (await createGrant(api, { object: at.groupOn, principal: await group(), action }));
    case 'denied below an allow':
      await createGrant(api, { object: onTop, principal: me, action });
      return void (await createGrant(api, { object: at.object, principal: me, action, effect: 'DENY' }));
    case 'denied above an allow':
      await createGrant(api, { object: onTop, principal: await group(), action, effect: 'DENY' });
      return void (await createGrant(api, { object: at.object, principal: me, action }));
    case 'none':
      return;
  }
}

/** A folder › subfolder › target › account with a password, an operator with no rights yet, and the grants of the scenario. */
async function arrange(action: VaultAction, scenario: Scenario): Promise<Fixture> {
  const top = await createFolder(api);
  const sub = await createFolder(api, { parentId: top.id });
  const target = await createTarget(api, { folderId: sub.id });
  const account = await createAccount(api, target.id);
  await createCredential(api, account.id);
  const user = await createUser(api, 'operator', { vaultRights: 'none' });
  const me = { type: 'user' as const, id: user.id };
  // Every right but `view` is tried on an account the operator sees, so a refusal is about that right alone.
  if (action !== 'view') await createGrant(api, { object: { type: 'folder', id: top.id }, principal: me, action: 'view' });
  await grantScenario(scenario, action, user.id, { top: top.id, object: { type: 'account', id: account.id }, groupOn: { type: 'target', id: target.id } });
  return { operator: await loginWith(api, user), accountId: account.id, targetId: target.id, folderId: sub.id };
}

/** The request that needs `action` on the account, and the status it answers when allowed. */
const REQUESTS: Record<VaultAction, { name: string; ok: number; send: (f: Fixture) => Promise<{ status: number; body: { code?: string } }> }> = {
  view: { name: 'GET /accounts/{id}', ok: 200, send: (f) => f.operator.agent.get(`/api/v1/accounts/${f.accountId}`) },
  checkout: {
    name: 'POST /accounts/{id}/checkout',
    ok: 200,
    send: (f) => f.operator.agent.post(`/api/v1/accounts/${f.accountId}/checkout`).set('X-CSRF-Token', f.operator.csrf).send({}),
  },
  check: {
    name: 'POST /accounts/{id}/check',
    ok: 202,
    send: (f) => f.operator.agent.post(`/api/v1/accounts/${f.accountId}/check`).set('X-CSRF-Token', f.operator.csrf),
  },
  reset: {
    name: 'POST /accounts/{id}/reset (vault only)',
    ok: 202,
    send: (f) =>
      f.operator.agent
        .post(`/api/v1/accounts/${f.accountId}/reset`)
        .set('X-CSRF-Token', f.operator.csrf)
        .send({ credentialType: 'PASSWORD', generate: true, changeOnTarget: false }),
  },
  update: {
    name: 'POST /accounts/{id}/credentials',
    ok: 201,
    send: (f) =>
      f.operator.agent.post(`/api/v1/accounts/${f.accountId}/credentials`).set('X-CSRF-Token', f.operator.csrf).send({ type: 'PIN', generate: true }),
  },
  manage: {
    name: 'PATCH /accounts/{id}',
    ok: 200,
    send: (f) => f.operator.agent.patch(`/api/v1/accounts/${f.accountId}`).set('X-CSRF-Token', f.operator.csrf).send({ description: 'changed' }),
  },
  manage_permissions: {
    name: 'PUT /accounts/{id}/permissions',
    ok: 200,
    send: (f) =>
      f.operator.agent
        .put(`/api/v1/accounts/${f.accountId}/permissions`)
        .set('X-CSRF-Token', f.operator.csrf)
        .send({ grants: [{ principal: { type: 'user', id: f.operator.user.id }, action: 'manage_permissions', effect: 'ALLOW' }] }),
  },
  approve: {
    name: 'POST /approvals/{id}/approve (another user’s checkout request)',
    ok: 200,
    send: async (f) => {
      await createApprovalRule(api, { type: 'account', id: f.accountId });
      const request = await createApprovalRequest(api, f.accountId);
      return f.operator.agent.post(`/api/v1/approvals/${request.id}/approve`).set('X-CSRF-Token', f.operator.csrf).send({});
    },
  },
};

const CASES = (Object.keys(REQUESTS) as VaultAction[]).flatMap((action) => SCENARIOS.map((scenario) => [action, scenario] as const));

describe.each(CASES)('%s — %s', (action, scenario) => {
  const { name, ok, send } = REQUESTS[action];
  const allowed = ALLOWING.includes(scenario);

  it(`${name} ${allowed ? 'is allowed' : 'is refused'}${allowed ? '' : action === 'view' ? ' with 404' : ' with 403'}`, async () => {
    const fixture = await arrange(action, scenario);
    const res = await send(fixture);
    if (allowed) {
      expect(res.status).toBe(ok);
    } else {
      expect(res.status).toBe(action === 'view' ? 404 : 403);
      expect(res.body.code).toBe(action === 'view' ? 'NOT_FOUND' : 'FORBIDDEN');
    }
  });

  if (action === 'view') {
    // Denied on the account alone, the target and folders above it stay visible (the folder grant reaches them).
    const targetSeen = allowed || scenario === 'denied below an allow';
    it(`the lists ${allowed ? 'show' : 'leave out'} the account, and ${targetSeen ? 'show' : 'leave out'} its target and folder`, async () => {
      const f = await arrange(action, scenario);
      const accounts = await f.operator.agent.get('/api/v1/accounts?limit=200').expect(200);
      expect(accounts.body.items.some((a: { id: string }) => a.id === f.accountId)).toBe(allowed);
      const targets = await f.operator.agent.get('/api/v1/targets?limit=200').expect(200);
      const target = targets.body.items.find((t: { id: string }) => t.id === f.targetId);
      expect(target !== undefined).toBe(targetSeen);
      if (target) expect(target.accountCount).toBe(allowed ? 1 : 0);
      const folders = await f.operator.agent.get('/api/v1/folders').expect(200);
      expect(folders.body.items.some((x: { id: string }) => x.id === f.folderId)).toBe(targetSeen);
      await f.operator.agent.get(`/api/v1/targets/${f.targetId}`).expect(targetSeen ? 200 : 404);
      const popup = await f.operator.agent.get(`/api/v1/targets/${f.targetId}/accounts`).expect(targetSeen ? 200 : 404);
      if (targetSeen) expect(popup.body.items.map((a: { id: string }) => a.id)).toEqual(allowed ? [f.accountId] : []);
      await f.operator.agent.get(`/api/v1/accounts/${f.accountId}/credentials`).expect(allowed ? 200 : 404);
      await f.operator.agent.get(`/api/v1/accounts/${f.accountId}/permissions`).expect(allowed ? 200 : 404);
    });
  }
});

// The same six situations for rights on a folder and on a target, through their own routes.
interface NodeFixture {
  operator: LoggedIn;
  objectId: string;
}

async function arrangeNode(type: 'folder' | 'target', action: VaultAction, scenario: Scenario): Promise<NodeFixture> {
  const top = await createFolder(api);
  const sub = await createFolder(api, { parentId: top.id });
  const target = await createTarget(api, { folderId: sub.id });
  const object = type === 'folder' ? { type, id: sub.id } : { type, id: target.id };
  const user = await createUser(api, 'operator', { vaultRights: 'none' });
  const me = { type: 'user' as const, id: user.id };
  if (action !== 'view') await createGrant(api, { object: { type: 'folder', id: top.id }, principal: me, action: 'view' });
  await grantScenario(scenario, action, user.id, { top: top.id, object, groupOn: { type: 'folder', id: top.id } });
  return { operator: await loginWith(api, user), objectId: object.id };
}

type NodeRequest = { name: string; ok: number; send: (f: NodeFixture) => Promise<{ status: number; body: { code?: string } }> };
const nodeRequests = (plural: 'folders' | 'targets'): Partial<Record<VaultAction, NodeRequest>> => ({
  view: { name: `GET /${plural}/{id}`, ok: 200, send: (f) => f.operator.agent.get(`/api/v1/${plural}/${f.objectId}`) },
  manage: {
    name: `PATCH /${plural}/{id}`,
    ok: 200,
    send: (f) =>
      f.operator.agent
        .patch(`/api/v1/${plural}/${f.objectId}`)
        .set('X-CSRF-Token', f.operator.csrf)
        .send(plural === 'folders' ? { name: `renamed-${f.objectId.slice(-6)}` } : { description: 'changed' }),
  },
  manage_permissions: {
    name: `PUT /${plural}/{id}/permissions`,
    ok: 200,
    send: (f) =>
      f.operator.agent
        .put(`/api/v1/${plural}/${f.objectId}/permissions`)
        .set('X-CSRF-Token', f.operator.csrf)
        .send({ grants: [{ principal: { type: 'user', id: f.operator.user.id }, action: 'manage_permissions', effect: 'ALLOW' }] }),
  },
});

const NODE_CASES = (['folder', 'target'] as const).flatMap((type) =>
  Object.entries(nodeRequests(type === 'folder' ? 'folders' : 'targets')).flatMap(([action, request]) =>
    SCENARIOS.map((scenario) => [type, action as VaultAction, scenario, request] as const),
  ),
);

describe.each(NODE_CASES)('%s: %s — %s', (type, action, scenario, request) => {
  const allowed = ALLOWING.includes(scenario);
  it(`${request.name} ${allowed ? 'is allowed' : action === 'view' ? 'is refused with 404' : 'is refused with 403'}`, async () => {
    const res = await request.send(await arrangeNode(type, action, scenario));
    if (allowed) expect(res.status).toBe(request.ok);
    else expect([res.status, res.body.code]).toEqual(action === 'view' ? [404, 'NOT_FOUND'] : [403, 'FORBIDDEN']);
  });
});

describe('what a list shows is what the grants allow', () => {
  it('an account row carries the caller’s effective rights, narrowed by their role', async () => {
    const f = await arrange('check', 'inherited');
    const account = (await f.operator.agent.get(`/api/v1/accounts/${f.accountId}`).expect(200)).body;
    expect(account.myRights).toEqual(['view', 'check']);
    const auditor = await loginWith(api, await createUser(api, 'auditor'));
    // An auditor sees everything, and may do nothing but see.
    expect((await auditor.agent.get(`/api/v1/accounts/${f.accountId}`).expect(200)).body.myRights).toEqual(['view']);
  });

  it('a bulk check queues the accounts the caller may check and names each refusal', async () => {
    const f = await arrange('check', 'direct');
    const seenOnly = await createAccount(api, f.targetId); // viewable through the folder grant, no check right
    const hidden = await createAccount(api, (await createTarget(api)).id);
    const res = await f.operator.agent
      .post('/api/v1/jobs/bulk')
      .set('X-CSRF-Token', f.operator.csrf)
      .send({ kind: 'CHECK', accountIds: [f.accountId, seenOnly.id, hidden.id] })
      .expect(202);
    expect(res.body.total).toBe(1);
    expect(res.body.refused).toEqual([
      { accountId: seenOnly.id, code: 'FORBIDDEN', message: expect.any(String) },
      { accountId: hidden.id, code: 'NOT_FOUND', message: expect.any(String) },
    ]);
    const jobs = await api.db.job.findMany({ where: { batchId: res.body.id } });
    expect(jobs.map((j) => j.accountId)).toEqual([f.accountId]);
  });

  it('a bulk request none of whose accounts the caller may act on stores nothing', async () => {
    const f = await arrange('check', 'none');
    const res = await f.operator.agent
      .post('/api/v1/jobs/bulk')
      .set('X-CSRF-Token', f.operator.csrf)
      .send({ kind: 'CHECK', accountIds: [f.accountId] })
      .expect(403);
    expect(res.body.code).toBe('FORBIDDEN');
    expect(await api.db.job.count({ where: { accountId: f.accountId } })).toBe(0);
  });

  it('a policy counts only the accounts the caller may see', async () => {
    const f = await arrange('view', 'inherited');
    const policy = await createPolicy(api);
    const hidden = await createAccount(api);
    await api.db.account.updateMany({ where: { id: { in: [f.accountId, hidden.id] } }, data: { policyId: policy.id } });
    expect((await f.operator.agent.get(`/api/v1/policies/${policy.id}`).expect(200)).body.accountCount).toBe(1);
  });

  it('jobs on accounts the caller may not see are neither listed nor shown', async () => {
    const f = await arrange('view', 'none');
    const job = await api.services.jobs.requestCheck({ requestId: 'test', ip: null, userAgent: null, actor: null }, f.accountId);
    await f.operator.agent.get(`/api/v1/jobs/${job.id}`).expect(404);
    const list = await f.operator.agent.get(`/api/v1/jobs?accountId=${f.accountId}`).expect(200);
    expect(list.body.items).toEqual([]);
  });

  it('an API token is held to both its scopes and its owner’s rights', async () => {
    const f = await arrange('check', 'direct');
    const created = await f.operator.agent
      .post('/api/v1/tokens')
      .set('X-CSRF-Token', f.operator.csrf)
      .send({ name: 'narrow', scopes: ['accounts.view', 'credentials.check'] })
      .expect(201);
    const token = created.body.token as string;
    await api.request().post(`/api/v1/accounts/${f.accountId}/check`).set('Authorization', `Bearer ${token}`).expect(202);
    // The owner may check only this account; the token no more than that.
    const other = await createAccount(api, f.targetId);
    await api.request().post(`/api/v1/accounts/${other.id}/check`).set('Authorization', `Bearer ${token}`).expect(403);
    // And the token may not do what its scopes leave out, though its owner's grants would allow it.
    await createGrant(api, { object: { type: 'account', id: f.accountId }, principal: { type: 'user', id: f.operator.user.id }, action: 'manage' });
    await api.request().patch(`/api/v1/accounts/${f.accountId}`).set('Authorization', `Bearer ${token}`).send({ description: 'x' }).expect(403);
  });
});
