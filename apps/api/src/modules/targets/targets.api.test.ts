import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createAccount, createHostKey, createTarget } from '../../test/factories.js';
import { createTestApi, loginAs, unique, type LoggedIn, type TestApi } from '../../test/harness.js';
import { createTargetsRepo } from './targets.repo.js';
import { createTargetsService } from './targets.service.js';

let api: TestApi;
let admin: LoggedIn;
beforeAll(async () => {
  api = await createTestApi();
  admin = await loginAs(api, 'admin');
});
afterAll(async () => {
  await api.close();
});

const post = (path: string, body: unknown, who: LoggedIn = admin) =>
  who.agent
    .post(`/api/v1${path}`)
    .set('X-CSRF-Token', who.csrf)
    .send(body as object);
const patch = (path: string, body: unknown, who: LoggedIn = admin) =>
  who.agent
    .patch(`/api/v1${path}`)
    .set('X-CSRF-Token', who.csrf)
    .send(body as object);
const del = (path: string, who: LoggedIn = admin) => who.agent.delete(`/api/v1${path}`).set('X-CSRF-Token', who.csrf);
const get = (path: string, who: LoggedIn = admin) => who.agent.get(`/api/v1${path}`);
/** The fields refused (a field breaking several rules has an issue for each). */
const paths = (res: { body: { errors?: { path: string }[] } }) => [...new Set((res.body.errors ?? []).map((e) => e.path))].sort();
const eventsOf = (objectId: string) => api.db.auditEvent.findMany({ where: { objectId }, orderBy: { seq: 'asc' } });

describe('POST /targets', () => {
  it('creates a target with defaults, presents it and audits it', async () => {
    const name = unique('web');
    const res = await post('/targets', { name, address: 'Web-01.Example.internal', tags: ['prod', 'web', 'prod'] }).expect(201);
    expect(res.body).toMatchObject({
      name,
      address: 'web-01.example.internal',
      port: 22,
      connectorKind: 'ssh',
      description: '',
      tags: ['prod', 'web'],
      managingAccountId: null,
      managingAccount: null,
      hostKeys: [],
      accountCount: 0,
    });
    const events = await eventsOf(res.body.id);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({ action: 'target.create', objectType: 'target', actorId: admin.user.id, outcome: 'success' });
    expect(events[0]!.details).toMatchObject({ name, address: 'web-01.example.internal', port: 22 });
  });

  it('accepts IPv4 and IPv6 literals and a custom port', async () => {
    await post('/targets', { name: unique('v4'), address: '192.0.2.10', port: 2222 }).expect(201);
    const res = await post('/targets', { name: unique('v6'), address: '2001:DB8::10', port: 65535 }).expect(201);
    expect(res.body).toMatchObject({ address: '2001:db8::10', port: 65535 });
  });

  it('answers a duplicate name with 409 ALREADY_EXISTS, leaving no second row and no audit event', async () => {
    const existing = await createTarget(api);
    const before = await api.db.auditEvent.count({ where: { action: 'target.create' } });
    const res = await post('/targets', { name: existing.name, address: '192.0.2.11' }).expect(409);
    expect(res.body).toMatchObject({ code: 'ALREADY_EXISTS', status: 409 });
    expect(res.body.detail).toContain(existing.name);
    expect(await api.db.target.count({ where: { name: existing.name } })).toBe(1);
    expect(await api.db.auditEvent.count({ where: { action: 'target.create' } })).toBe(before);
  });

  it('lists every invalid field in one 422', async () => {
    const res = await post('/targets', {
      name: '',
      address: '-oProxyCommand=sh',
      port: 70000,
      connectorKind: 'telnet',
      tags: ['ok', 'not ok'],
      description: 'bell\u0007',
      extra: true,
    }).expect(422);
    expect(res.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(paths(res)).toEqual(['body', 'body.address', 'body.connectorKind', 'body.description', 'body.name', 'body.port', 'body.tags.1']);
  });

  it.each(['host name', 'host;reboot', 'host$(id)', 'a|b', '`id`', '-x', 'host\nname', '1.2.3.256', '010.0.0.1', '[::1]', 'a..b', 'host_1', ''])(
    'refuses the address %j',
    async (address) => {
      const res = await post('/targets', { name: unique('bad'), address }).expect(422);
      expect(paths(res)).toEqual(['body.address']);
    },
  );

  it('requires name and address', async () => {
    const res = await post('/targets', {}).expect(422);
    expect(paths(res)).toEqual(['body.address', 'body.name']);
  });
});

describe('GET /targets/:id', () => {
  it('shows the host keys, the account count and the managing account', async () => {
    const target = await createTarget(api);
    const manager = await createAccount(api, target.id, { username: 'root' });
    await createAccount(api, target.id);
    await api.db.target.update({ where: { id: target.id }, data: { managingAccountId: manager.id } });
    await createHostKey(api, target.id, { fingerprint: 'SHA256:abc', approved: true });
    const res = await get(`/targets/${target.id}`).expect(200);
    expect(res.body).toMatchObject({
      id: target.id,
      accountCount: 2,
      managingAccountId: manager.id,
      managingAccount: { id: manager.id, username: 'root' },
      hostKeys: [{ algorithm: 'ssh-ed25519', fingerprint: 'SHA256:abc', status: 'APPROVED' }],
    });
    expect(res.body.hostKeys[0]).not.toHaveProperty('publicKey');
  });

  it('answers an unknown id with 404 and a malformed one with 422', async () => {
    expect((await get('/targets/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c').expect(404)).body.code).toBe('NOT_FOUND');
    const res = await get('/targets/not-a-uuid').expect(422);
    expect(paths(res)).toEqual(['params.id']);
  });
});

describe('PATCH /targets/:id', () => {
  it('changes fields and audits exactly what changed', async () => {
    const target = await createTarget(api, { tags: ['a'] });
    const name = unique('renamed');
    const res = await patch(`/targets/${target.id}`, { name, port: 2200, tags: ['a'], description: 'Primary DB' }).expect(200);
    expect(res.body).toMatchObject({ name, port: 2200, tags: ['a'], description: 'Primary DB' });
    const [event] = await eventsOf(target.id);
    expect(event).toMatchObject({ action: 'target.update', objectType: 'target' });
    expect(event!.details).toMatchObject({
      fields: ['description', 'name', 'port'],
      changes: { name: { from: target.name, to: name }, port: { from: 22, to: 2200 } },
    });
  });

  it('sets and clears the managing account, which must be an account of the same target', async () => {
    const target = await createTarget(api);
    const own = await createAccount(api, target.id);
    const foreign = await createAccount(api);
    const set = await patch(`/targets/${target.id}`, { managingAccountId: own.id }).expect(200);
    expect(set.body.managingAccount).toEqual({ id: own.id, username: own.username });
    const account = await get(`/accounts/${own.id}`).expect(200);
    expect(account.body.isManagingAccount).toBe(true);

    const refused = await patch(`/targets/${target.id}`, { managingAccountId: foreign.id }).expect(422);
    expect(refused.body.code).toBe('UNPROCESSABLE');
    expect(refused.body.detail).toMatch(/must be an account of target/);
    expect(paths(refused)).toEqual(['body.managingAccountId']);
    const unknown = await patch(`/targets/${target.id}`, { managingAccountId: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c' }).expect(422);
    expect(unknown.body.code).toBe('UNPROCESSABLE');

    const cleared = await patch(`/targets/${target.id}`, { managingAccountId: null }).expect(200);
    expect(cleared.body).toMatchObject({ managingAccountId: null, managingAccount: null });
    const actions = (await eventsOf(target.id)).map((e) => e.action);
    expect(actions).toEqual(['target.update', 'target.update']);
  });

  it('answers a rename onto an existing name with 409 and changes nothing', async () => {
    const [a, b] = [await createTarget(api), await createTarget(api)];
    const res = await patch(`/targets/${a.id}`, { name: b.name, port: 2022 }).expect(409);
    expect(res.body.code).toBe('ALREADY_EXISTS');
    expect(await api.db.target.findUniqueOrThrow({ where: { id: a.id } })).toMatchObject({ name: a.name, port: 22 });
    expect(await eventsOf(a.id)).toHaveLength(0);
  });

  it('lists every invalid field, refuses unknown fields and an empty body', async () => {
    const target = await createTarget(api);
    const res = await patch(`/targets/${target.id}`, { name: ' ', address: 'a b', port: 0, managingAccountId: 'x', connectorKind: 'ssh' }).expect(422);
    expect(paths(res)).toEqual(['body', 'body.address', 'body.managingAccountId', 'body.name', 'body.port']);
    expect((await patch(`/targets/${target.id}`, {}).expect(422)).body.code).toBe('VALIDATION_FAILED');
  });

  it('answers an unknown id with 404', async () => {
    await patch('/targets/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c', { port: 23 }).expect(404);
    await patch('/targets/nope', { port: 23 }).expect(422);
  });
});

describe('DELETE /targets/:id', () => {
  it('deletes the target with its accounts and host keys, auditing the account count', async () => {
    const target = await createTarget(api);
    const manager = await createAccount(api, target.id);
    await createAccount(api, target.id);
    await createAccount(api, target.id);
    await api.db.target.update({ where: { id: target.id }, data: { managingAccountId: manager.id } });
    await createHostKey(api, target.id);
    await del(`/targets/${target.id}`).expect(204);
    expect(await api.db.target.count({ where: { id: target.id } })).toBe(0);
    expect(await api.db.account.count({ where: { targetId: target.id } })).toBe(0);
    expect(await api.db.targetHostKey.count({ where: { targetId: target.id } })).toBe(0);
    const [event] = await eventsOf(target.id);
    expect(event).toMatchObject({ action: 'target.delete', objectType: 'target' });
    expect(event!.details).toMatchObject({ name: target.name, accountCount: 3 });
    await get(`/targets/${target.id}`).expect(404);
    await del(`/targets/${target.id}`).expect(404);
  });

  it('answers a malformed id with 422', async () => {
    expect(paths(await del('/targets/123').expect(422))).toEqual(['params.id']);
  });
});

describe('audit fails closed', () => {
  const failingAudit = {
    record: async () => {
      throw new Error('audit store unavailable');
    },
  } as unknown as Parameters<typeof createTargetsService>[0]['audit'];
  const service = () =>
    createTargetsService({ repo: createTargetsRepo(api.db), audit: failingAudit, hostKeyTrust: api.services.hostKeyTrust, access: api.services.access });
  const ctx = { requestId: 'test', ip: null, userAgent: null, actor: null };

  it('a create whose audit event cannot be written leaves no row', async () => {
    const name = unique('unaudited');
    await expect(service().create(ctx, { name, address: '192.0.2.1', port: 22, connectorKind: 'ssh', description: '', tags: [] })).rejects.toThrow(
      'audit store unavailable',
    );
    expect(await api.db.target.count({ where: { name } })).toBe(0);
  });

  it('an update or delete whose audit event cannot be written changes nothing', async () => {
    const target = await createTarget(api);
    await createAccount(api, target.id);
    await expect(service().update(ctx, target.id, { port: 2022 })).rejects.toThrow('audit store unavailable');
    await expect(service().delete(ctx, target.id)).rejects.toThrow('audit store unavailable');
    expect(await api.db.target.findUniqueOrThrow({ where: { id: target.id } })).toMatchObject({ port: 22 });
    expect(await api.db.account.count({ where: { targetId: target.id } })).toBe(1);
  });
});

describe('GET /targets/:id/accounts', () => {
  it('lists only the accounts of the target, with the /accounts filters', async () => {
    const target = await createTarget(api);
    await createAccount(api, target.id, { username: 'alpha', status: 'InSync' });
    await createAccount(api, target.id, { username: 'bravo', status: 'NotInSync' });
    await createAccount(api, target.id, { username: 'charlie', status: 'NotInSync' });
    await createAccount(api);
    const all = await get(`/targets/${target.id}/accounts`).expect(200);
    expect(all.body.items.map((a: { username: string }) => a.username)).toEqual(['alpha', 'bravo', 'charlie']);
    expect(all.body.items[0].target).toEqual({ id: target.id, name: target.name, address: target.address });
    const filtered = await get(`/targets/${target.id}/accounts?status=NotInSync&sort=-username&limit=1`).expect(200);
    expect(filtered.body.items.map((a: { username: string }) => a.username)).toEqual(['charlie']);
    const next = await get(`/targets/${target.id}/accounts?status=NotInSync&sort=-username&limit=1&cursor=${filtered.body.nextCursor}`).expect(200);
    expect(next.body).toMatchObject({ items: [{ username: 'bravo' }], nextCursor: null });
    const q = await get(`/targets/${target.id}/accounts?q=HARL`).expect(200);
    expect(q.body.items.map((a: { username: string }) => a.username)).toEqual(['charlie']);
  });

  it('answers an unknown target with 404 and bad filters with 422', async () => {
    await get('/targets/01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c/accounts').expect(404);
    const target = await createTarget(api);
    const res = await get(`/targets/${target.id}/accounts?status=Broken&sort=size&limit=500`).expect(422);
    expect(paths(res)).toEqual(['query.limit', 'query.sort', 'query.status']);
  });
});
