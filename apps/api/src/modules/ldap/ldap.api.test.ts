import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  asManager,
  createMigratedDatabase,
  dropDatabase,
  LDAP_BASE_DN,
  LDAP_GROUP_FILTER,
  LDAP_USER_FILTER,
  ldapFixture,
  ldapPeople,
  reserveClosedPort,
  startSlapd,
  type Slapd,
} from '@passman/testkit';
import { Attribute, Change } from 'ldapts';
import { createGroup } from '../../test/factories.js';
import { createTestApi, createUser, loginAs, randomClientIp, type LoggedIn, type TestApi } from '../../test/harness.js';

// LDAP end to end: the admin's settings, the connection test, directory logins (just-in-time
// users with mapped roles and groups), the sync, and a directory that cannot be reached, against
// a real slapd. In a database of its own: the LDAP settings are the installation's, and other
// test files log in meanwhile.

const people = ldapPeople();
const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
let databaseUrl: string | undefined;
let slapd: Slapd;
let api: TestApi;
let admin: LoggedIn;
let opsGroupId: string;
let otherGroupId: string;

const groupDn = (cn: string) => `cn=${cn},ou=groups,${LDAP_BASE_DN}`;
const userDn = (uid: string) => `uid=${uid},ou=people,${LDAP_BASE_DN}`;

function settings(overrides: Record<string, unknown> = {}) {
  return {
    enabled: true,
    url: slapd.url,
    startTls: true,
    caCertificate: slapd.pki.caPem,
    bindDn: `cn=reader,ou=system,${LDAP_BASE_DN}`,
    baseDn: LDAP_BASE_DN,
    userFilter: LDAP_USER_FILTER,
    usernameAttribute: 'uid',
    displayNameAttribute: 'cn',
    groupAttribute: '',
    groupSearchBase: `ou=groups,${LDAP_BASE_DN}`,
    groupFilter: LDAP_GROUP_FILTER,
    defaultRole: null,
    roleMappings: [
      { group: groupDn('passman-admins'), role: 'admin' },
      { group: groupDn('ops'), role: 'operator' },
    ],
    groupMappings: [{ group: groupDn('ops'), groupId: opsGroupId }],
    syncIntervalMinutes: 60,
    ...overrides,
  };
}

const put = (body: object) => admin.agent.put('/api/v1/ldap/settings').set('X-CSRF-Token', admin.csrf).send(body);
const login = (username: string, password: string) =>
  api.request().post('/api/v1/auth/login').set('X-Forwarded-For', randomClientIp()).send({ username, password });
const userNamed = (username: string) => api.db.user.findUnique({ where: { username }, include: { groups: true, externalIdentities: true } });

beforeAll(async () => {
  [slapd, databaseUrl] = await Promise.all([
    startSlapd({ baseDn: LDAP_BASE_DN, ldif: ldapFixture(people) }),
    createMigratedDatabase(adminUrl(), 'passman_ldap'),
  ]);
  api = await createTestApi({ databaseUrl });
  admin = await loginAs(api, 'admin');
  opsGroupId = (await createGroup(api)).id;
  otherGroupId = (await createGroup(api)).id;
});
afterAll(async () => {
  await api?.close();
  if (databaseUrl) await dropDatabase(adminUrl(), databaseUrl);
  await slapd?.stop();
});

describe('settings', () => {
  it('are admin-only', async () => {
    const operator = await loginAs(api, 'operator');
    await operator.agent.get('/api/v1/ldap/settings').expect(403);
    await operator.agent.put('/api/v1/ldap/settings').set('X-CSRF-Token', operator.csrf).send(settings()).expect(403);
    await operator.agent.post('/api/v1/ldap/sync').set('X-CSRF-Token', operator.csrf).expect(403);
  });

  it('keep the bind password sealed: never returned, not in the database in clear, not in the audit trail', async () => {
    const before = (await admin.agent.get('/api/v1/ldap/settings').expect(200)).body;
    expect(before).toMatchObject({ enabled: false, hasBindPassword: false, lastSync: null });
    const saved = (await put({ ...settings(), bindPassword: people.reader }).expect(200)).body;
    expect(saved).toMatchObject({ enabled: true, hasBindPassword: true, url: slapd.url });
    expect(JSON.stringify(saved)).not.toContain(people.reader);
    const rows = await api.db.systemSetting.findMany({ where: { key: { startsWith: 'ldap.' } } });
    expect(rows.map((r) => r.key).sort()).toEqual(['ldap.bind_password', 'ldap.settings']);
    expect(JSON.stringify(rows)).not.toContain(people.reader);
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'ldap.settings.update' }, orderBy: { seq: 'desc' } });
    expect(JSON.stringify(event.details)).not.toContain(people.reader);
    expect(event.details).toMatchObject({ bindPassword: 'set', changes: { enabled: { before: false, after: true }, url: { before: '', after: slapd.url } } });
  });

  it('refuse a mapping to a PassMan group that does not exist, and a filter without {username}', async () => {
    const missing = '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c';
    const res = await put(settings({ groupMappings: [{ group: groupDn('ops'), groupId: missing }] })).expect(422);
    expect(res.body.errors).toEqual([expect.objectContaining({ path: 'groupMappings.0.groupId' })]);
    await put(settings({ userFilter: '(uid=alice)' })).expect(422);
    expect((await admin.agent.get('/api/v1/ldap/settings').expect(200)).body.groupMappings).toEqual([{ group: groupDn('ops'), groupId: opsGroupId }]);
  });

  it('refuse fields over their limits with 422, never storing a part', async () => {
    const before = (await admin.agent.get('/api/v1/ldap/settings').expect(200)).body;
    for (const oversized of [
      { url: `ldap://${'a'.repeat(5_000)}.example` },
      { userFilter: `(uid={username})${'x'.repeat(20_000)}` },
      { groupMappings: Array.from({ length: 5_000 }, (_, i) => ({ group: `cn=g${i},dc=example`, groupId: opsGroupId })) },
    ]) {
      const res = await put(settings(oversized));
      expect([413, 422]).toContain(res.status);
      expect(res.body.code).toEqual(expect.any(String));
    }
    expect((await admin.agent.get('/api/v1/ldap/settings').expect(200)).body).toEqual(before);
  });

  it('test connection reports what it found', async () => {
    const res = await admin.agent.post('/api/v1/ldap/test').set('X-CSRF-Token', admin.csrf).send({ username: 'alice' }).expect(200);
    expect(res.body).toMatchObject({ ok: true, transport: 'starttls', usersFound: 3 });
    expect(res.body.user).toMatchObject({ dn: userDn('alice'), username: 'alice', role: 'admin', groupIds: [opsGroupId] });
    const nobody = await admin.agent.post('/api/v1/ldap/test').set('X-CSRF-Token', admin.csrf).send({ username: 'nobody' }).expect(200);
    expect(nobody.body).toMatchObject({ ok: false, code: 'LDAP_USER_NOT_FOUND', usersFound: 3 });
  });
});

describe('directory login', () => {
  it('creates the user at the first login, with the mapped role and groups, linked by DN', async () => {
    const res = await login('alice', people.alice).expect(200);
    expect(res.body.user).toMatchObject({ username: 'alice', displayName: 'Alice Admin', role: 'admin' });
    const alice = await userNamed('alice');
    expect(alice?.externalIdentities).toEqual([expect.objectContaining({ provider: 'ldap', issuer: LDAP_BASE_DN, subject: userDn('alice') })]);
    expect(alice?.groups.map((g) => g.groupId)).toEqual([opsGroupId]);
    expect(alice?.passwordHash.startsWith('$argon2')).toBe(false);
    const created = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'user.create', objectId: alice!.id } });
    expect(created).toMatchObject({ actorName: 'ldap-sync', details: expect.objectContaining({ source: 'ldap', role: 'admin' }) });
    const joined = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'group.member.add', objectId: opsGroupId } });
    expect(joined.details).toMatchObject({ username: 'alice', before: { member: false }, after: { member: true } });
  });

  it('refuses a wrong password, a user the directory disables, and injection or wildcard usernames', async () => {
    expect((await login('alice', people.bob).expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    await login('carol', people.carol).expect(401);
    await login('*)(uid=*', people.alice).expect(401);
    await login('*', people.alice).expect(401);
    await login('al*', people.alice).expect(401);
    await login('alice)(|(uid=*', people.alice).expect(401);
    expect(await userNamed('carol')).toBeNull();
  });

  it('checks a linked user only against the directory, never a local password set later', async () => {
    const alice = (await userNamed('alice'))!;
    const local = 'a local password that must not work';
    await admin.agent.patch(`/api/v1/users/${alice.id}`).set('X-CSRF-Token', admin.csrf).send({ password: local }).expect(200);
    await login('alice', local).expect(401);
    await login('alice', people.alice).expect(200);
  });

  it('never takes over a local user of the same name', async () => {
    const local = await createUser(api, 'operator');
    await asManager(slapd, (c) =>
      c.add(`uid=${local.username},ou=people,${LDAP_BASE_DN}`, {
        objectClass: 'inetOrgPerson',
        uid: local.username,
        cn: 'Clash',
        sn: 'Clash',
        userPassword: 'dir-password',
      }),
    );
    await login(local.username, 'dir-password').expect(401);
    await login(local.username, local.password).expect(200);
  });

  it('follows a role change in the directory at the next login, audited with before and after', async () => {
    await login('bob', people.bob).expect(200);
    expect((await userNamed('bob'))?.roleName).toBe('operator');
    await asManager(slapd, (c) =>
      c.modify(groupDn('passman-admins'), new Change({ operation: 'add', modification: new Attribute({ type: 'member', values: [userDn('bob')] }) })),
    );
    expect((await login('bob', people.bob).expect(200)).body.user.role).toBe('admin');
    const bob = (await userNamed('bob'))!;
    const changed = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'user.update', objectId: bob.id }, orderBy: { seq: 'desc' } });
    expect(changed.details).toMatchObject({ before: { role: 'operator' }, after: { role: 'admin' } });
  });
});

describe('sync', () => {
  it('updates groups and disables a user gone from the directory, ending its sessions', async () => {
    const bob = (await userNamed('bob'))!;
    const bobSession = api.request();
    await bobSession.post('/api/v1/auth/login').set('X-Forwarded-For', randomClientIp()).send({ username: 'bob', password: people.bob }).expect(200);
    await bobSession.get('/api/v1/auth/me').expect(200);
    // alice joins a second mapped group; bob leaves the directory.
    await put(
      settings({
        groupMappings: [
          { group: groupDn('ops'), groupId: opsGroupId },
          { group: groupDn('passman-admins'), groupId: otherGroupId },
        ],
      }),
    ).expect(200);
    await asManager(slapd, (c) => c.del(userDn('bob')));
    const summary = (await admin.agent.post('/api/v1/ldap/sync').set('X-CSRF-Token', admin.csrf).expect(200)).body;
    expect(summary).toMatchObject({ ok: true, disabled: 1, error: null });
    expect(summary.updated).toBeGreaterThanOrEqual(1);
    expect((await userNamed('bob'))?.disabledAt).not.toBeNull();
    expect((await userNamed('alice'))?.groups.map((g) => g.groupId).sort()).toEqual([opsGroupId, otherGroupId].sort());
    await bobSession.get('/api/v1/auth/me').expect(401);
    await login('bob', people.bob).expect(401);
    const disabled = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'user.update', objectId: bob.id }, orderBy: { seq: 'desc' } });
    expect(disabled).toMatchObject({
      actorName: admin.user.username,
      details: expect.objectContaining({ reason: 'gone-from-directory', after: { disabled: true } }),
    });
    expect((await admin.agent.get('/api/v1/ldap/settings').expect(200)).body.lastSync).toMatchObject({ ok: true, disabled: 1 });
  });

  it('changes nothing when the directory finds none of the linked users (a wrong filter must not disable everyone)', async () => {
    await put(settings({ userFilter: '(&(objectClass=inetOrgPerson)(uid={username})(employeeType=nobody-has-this))' })).expect(200);
    const summary = (await admin.agent.post('/api/v1/ldap/sync').set('X-CSRF-Token', admin.csrf).expect(200)).body;
    expect(summary).toMatchObject({ ok: false, disabled: 0, error: expect.stringContaining('found none of the') });
    expect((await userNamed('alice'))?.disabledAt).toBeNull();
    await put(settings()).expect(200);
  });

  it('runs on its interval under the system identity, once per interval', async () => {
    await api.db.systemSetting.deleteMany({ where: { key: 'ldap.sync_claim' } });
    const first = await api.services.ldap.sync.tick();
    expect(first).toMatchObject({ ok: true });
    expect(await api.services.ldap.sync.tick()).toBeNull();
    const event = await api.db.auditEvent.findFirstOrThrow({ where: { action: 'ldap.sync' }, orderBy: { seq: 'desc' } });
    expect(event).toMatchObject({ actorName: 'ldap-sync', actorId: null });
  });
});

describe('an unreachable directory', () => {
  it('fails directory logins with LDAP_UNAVAILABLE, keeps the local break-glass admin working, and tells no name from another', async () => {
    const closed = await reserveClosedPort();
    try {
      await put(settings({ url: `ldap://${closed.host}:${closed.port}` })).expect(200);
      const refused = await login('alice', people.alice).expect(503);
      expect(refused.body.code).toBe('LDAP_UNAVAILABLE');
      // Local users still sign in: the break-glass path.
      const breakGlass = await createUser(api, 'admin');
      await login(breakGlass.username, breakGlass.password).expect(200);
      // A wrong local password and an unknown name answer like a directory user: nothing tells who exists.
      expect((await login(breakGlass.username, 'wrong password').expect(503)).body.code).toBe('LDAP_UNAVAILABLE');
      expect((await login('nobody-at-all', 'whatever').expect(503)).body.code).toBe('LDAP_UNAVAILABLE');
      const test = (await admin.agent.post('/api/v1/ldap/test').set('X-CSRF-Token', admin.csrf).send({}).expect(200)).body;
      expect(test).toMatchObject({ ok: false, code: 'LDAP_UNAVAILABLE' });
      expect((await admin.agent.post('/api/v1/ldap/sync').set('X-CSRF-Token', admin.csrf).expect(503)).body.code).toBe('LDAP_UNAVAILABLE');
      expect((await userNamed('alice'))?.disabledAt).toBeNull();
    } finally {
      closed.release();
    }
  });

  it('after LDAP is turned off, local logins answer as before and directory users cannot sign in', async () => {
    await put(settings({ enabled: false })).expect(200);
    expect((await login('nobody-at-all', 'whatever').expect(401)).body.code).toBe('INVALID_CREDENTIALS');
    await login('alice', people.alice).expect(401);
  });
});
