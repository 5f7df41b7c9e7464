import { randomBytes, randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMasterKeyRing, createVault, CREDENTIAL_SECRET_PURPOSE, decodeSealedText, type Vault } from '@passman/vault';
import pino from 'pino';
import { createAccount } from '../../test/factories.js';
import { createTestApi, loginAs, type TestApi } from '../../test/harness.js';
import { createEmptyDatabase, dropDatabase } from '@passman/testkit/db';
import { createPrismaClient, migrate, type Database } from '@passman/db';
import { AUDIT_KEY_CONTEXT, AUDIT_KEY_SETTING, deriveAuditKeys, openAuditKeys, type AuditKeys } from '../audit/audit-key.js';
import { createAuditRepo } from '../audit/audit.repo.js';
import { createAuditService } from '../audit/audit.service.js';
import { createUser } from '../../test/harness.js';
import { systemContext } from '../../lib/actor.js';
import { createVaultRepo } from './vault.repo.js';
import { createVaultService } from './vault.service.js';
import { openTotpSecret } from '../mfa/totp.js';
import { createSettingsRepo } from './settings.repo.js';
import { openVault } from './vault-state.js';
import { openUpload } from '../imports/import-upload.js';
import { createWebhooksRepo } from '../webhooks/webhooks.repo.js';
import { openWebhookSecret, sealWebhookSecret } from '../webhooks/webhook-secret.js';
import { openWebhookUrl, sealWebhookUrl } from '../webhooks/webhook-url-seal.js';
import { createLdapRepo } from '../ldap/ldap.repo.js';
import { LDAP_BIND_PASSWORD_KEY, openBindPassword, sealBindPassword } from '../ldap/ldap-settings.js';
import { createOidcRepo } from '../oidc/oidc.repo.js';
import { createOidcSettingsStore, DEFAULT_OIDC_SETTINGS } from '../oidc/oidc-settings.js';

const silent = pino({ level: 'silent' });
const key = () => randomBytes(32).toString('base64');
const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
const vaultOf = (...keys: [number, Buffer][]) => createVault({ keyRing: createMasterKeyRing({ keys: new Map(keys), activeVersion: keys[0]![0] }) });
/** The rewrap as `npm run vault:rewrap` runs it, over `db`, auditing with `auditKeys`. */
const rewrapService = (db: Database, vault: Vault, auditKeys: AuditKeys, overrides: Partial<Parameters<typeof createVaultService>[0]> = {}) =>
  createVaultService({
    repo: createVaultRepo(db),
    settings: createSettingsRepo(db),
    vault,
    audit: createAuditService({ repo: createAuditRepo(db), keys: auditKeys }),
    webhooks: createWebhooksRepo(db),
    ldap: createLdapRepo(db),
    oidc: createOidcRepo(db),
    ...overrides,
  });

describe('opening the vault', () => {
  // The key check lives in a one-row setting: each test gets its own database.
  let url: string;
  let db: Database;
  beforeAll(async () => {
    url = await createEmptyDatabase(adminUrl(), 'passman_vault');
    await migrate(url);
    db = createPrismaClient(url, { max: 2 });
  });
  afterAll(async () => {
    await db.$disconnect();
    await dropDatabase(adminUrl(), url);
  });

  it('seals without a master key, unseals with one, and then refuses a different key', async () => {
    const settings = createSettingsRepo(db);
    const none = await openVault({ env: {}, settings, logger: silent });
    expect([none.vault.sealed, none.vault.sealedReason]).toEqual([true, 'MASTER_KEY_MISSING']);

    const first = key();
    const opened = await openVault({ env: { PASSMAN_MASTER_KEY: first }, settings, logger: silent });
    expect(opened.vault.sealed).toBe(false);

    const wrong = await openVault({ env: { PASSMAN_MASTER_KEY: key() }, settings, logger: silent });
    expect([wrong.vault.sealed, wrong.vault.sealedReason]).toEqual([true, 'MASTER_KEY_MISMATCH']);

    const garbage = await openVault({ env: { PASSMAN_MASTER_KEY: 'not-base64!' }, settings, logger: silent });
    expect(garbage.vault.sealed).toBe(true);

    const rotated = await openVault({ env: { PASSMAN_MASTER_KEY: `2:${key()},1:${first}` }, settings, logger: silent });
    expect([rotated.vault.sealed, rotated.vault.activeKeyVersion]).toEqual([false, 2]);
  });
});

describe('the audit key', () => {
  let url: string;
  let db: Database;
  beforeAll(async () => {
    url = await createEmptyDatabase(adminUrl(), 'passman_auditkey');
    await migrate(url);
    db = createPrismaClient(url, { max: 4 });
  });
  afterAll(async () => {
    await db.$disconnect();
    await dropDatabase(adminUrl(), url);
  });

  it('is made on the first unsealed start, stored only wrapped under the master key, and opens the same later', async () => {
    const settings = createSettingsRepo(db);
    const sealed = await openVault({ env: {}, settings, logger: silent });
    expect(await openAuditKeys({ vault: sealed.vault, settings })).toBeNull();
    expect(await settings.get(AUDIT_KEY_SETTING)).toBeNull();

    const masterKey = key();
    const { vault } = await openVault({ env: { PASSMAN_MASTER_KEY: masterKey }, settings, logger: silent });
    // Two processes starting at once on a new installation end up with one key.
    const [first, second] = await Promise.all([openAuditKeys({ vault, settings }), openAuditKeys({ vault, settings })]);
    expect(first).not.toBeNull();
    expect(second!.chainKey.equals(first!.chainKey)).toBe(true);
    expect(first!.chainKey.equals(first!.checkpointKey)).toBe(false);

    const stored = (await settings.get(AUDIT_KEY_SETTING))!;
    const auditKey = vault.decrypt(decodeSealedText(stored), AUDIT_KEY_CONTEXT);
    expect(auditKey.length).toBe(32);
    for (const encoding of ['base64', 'hex', 'base64url'] as const) expect(stored).not.toContain(auditKey.toString(encoding));
    expect(deriveAuditKeys(auditKey).chainKey.equals(first!.chainKey)).toBe(true);
    // What a database-only attacker holds does not open without the master key.
    expect(() =>
      createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, randomBytes(32)]]), activeVersion: 1 }) }).decrypt(
        decodeSealedText(stored),
        AUDIT_KEY_CONTEXT,
      ),
    ).toThrow();

    const reopened = await openVault({ env: { PASSMAN_MASTER_KEY: masterKey }, settings, logger: silent });
    expect((await openAuditKeys({ vault: reopened.vault, settings }))!.checkpointKey.equals(first!.checkpointKey)).toBe(true);
  });

  it('sealed: no audit key, so every audited action fails closed with 503 SEALED, login included', async () => {
    // The real path of a start without a master key: openVault seals, so there are no audit keys.
    const { vault } = await openVault({ env: {}, settings: createSettingsRepo(db), logger: silent });
    const keys = await openAuditKeys({ vault, settings: createSettingsRepo(db) });
    const sealedApi = await createTestApi({ vault, auditKeys: keys });
    try {
      const user = await createUser(sealedApi, 'admin');
      const login = await sealedApi.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password });
      expect([login.status, login.body.code]).toEqual([503, 'SEALED']);
      expect(login.headers['set-cookie']).toBeUndefined();
      const wrong = await sealedApi.request().post('/api/v1/auth/login').send({ username: user.username, password: 'not-the-password' });
      expect([wrong.status, wrong.body.code]).toEqual([503, 'SEALED']);
      expect(await sealedApi.db.session.count({ where: { userId: user.id } })).toBe(0);
      const ctx = { ...systemContext('sealed-test'), actor: null };
      const name = `sealed-${randomBytes(4).toString('hex')}`;
      await expect(
        sealedApi.services.targets.create(ctx, { name, address: '127.0.0.1', port: 22, connectorKind: 'ssh', description: '', tags: [] }),
      ).rejects.toMatchObject({ code: 'SEALED' });
      expect(await sealedApi.db.target.count({ where: { name } })).toBe(0);
    } finally {
      await sealedApi.close();
    }
  });
});

describe('master key rotation', () => {
  // Rotation walks every row: it gets a database of its own, whose rows are all under oldKey.
  let api: TestApi;
  let url: string;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const oldVault = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, oldKey]]), activeVersion: 1 }) });
  beforeAll(async () => {
    url = await createEmptyDatabase(adminUrl(), 'passman_rotation');
    await migrate(url);
    // This database's own audit key, stored wrapped under oldKey, as PassMan would make it.
    const setup = createPrismaClient(url, { max: 1 });
    const auditKeys = await openAuditKeys({ vault: oldVault, settings: createSettingsRepo(setup) });
    await setup.$disconnect();
    api = await createTestApi({ databaseUrl: url, vault: oldVault, auditKeys });
  });
  afterAll(async () => {
    await api.close();
    await dropDatabase(adminUrl(), url);
  });

  it('re-wraps every data key under the new key; every secret still decrypts, old key no longer needed', async () => {
    const operator = await loginAs(api, 'operator');
    const account = await createAccount(api);
    const ids: string[] = [];
    for (const type of ['PASSWORD', 'PIN'] as const) {
      const res = await operator.agent
        .post(`/api/v1/accounts/${account.id}/credentials`)
        .set('X-CSRF-Token', operator.csrf)
        .send({ type, generate: true })
        .expect(201);
      ids.push(res.body.id);
    }
    const totp = await operator.agent.post('/api/v1/mfa/totp').set('X-CSRF-Token', operator.csrf).send({}).expect(201);
    // An import waiting for its worker (none runs here): its file sealed in parts under the old key.
    const admin = await loginAs(api, 'admin');
    const importFile = Buffer.from(`Target_type,Target,Account\r\n${'ssh,rewrap-host,svc\r\n'.repeat(30_000)}`);
    const queued = await admin.agent
      .post('/api/v1/imports')
      .set('X-CSRF-Token', admin.csrf)
      .attach('file', importFile, 'waiting.csv')
      .field('dryRun', 'false')
      .expect(202);
    const importId = queued.body.id as string;
    const partCount = await api.db.importUpload.count({ where: { importId } });
    expect(partCount).toBeGreaterThan(1);
    const before = await api.db.credentialVersion.findMany({ where: { credentialId: { in: ids } } });
    const plain = (v: (typeof before)[number], vault = api.services.vault) =>
      vault.decrypt(v, { credentialId: v.credentialId, version: v.version, purpose: CREDENTIAL_SECRET_PURPOSE }).toString();
    const secrets = before.map((v) => plain(v));

    const settings = createSettingsRepo(api.db);
    const both = createVault({
      keyRing: createMasterKeyRing({
        keys: new Map([
          [2, newKey],
          [1, oldKey],
        ]),
        activeVersion: 2,
      }),
    });
    const keysBefore = (await openAuditKeys({ vault: both, settings }))!;
    const { rewrapped, totpSecrets, importUploadParts, auditKey } = await rewrapService(api.db, both, keysBefore).rewrapAll();
    expect(rewrapped).toBeGreaterThanOrEqual(2);
    expect(totpSecrets).toBeGreaterThanOrEqual(1);
    expect(importUploadParts).toBe(partCount);
    expect(auditKey).toBe(true);
    expect(decodeSealedText((await settings.get(AUDIT_KEY_SETTING))!).keyVersion).toBe(2);

    const after = await api.db.credentialVersion.findMany({ where: { credentialId: { in: ids } } });
    expect(after.map((v) => v.keyVersion)).toEqual([2, 2]);
    expect(after.map((v) => Buffer.from(v.ciphertext).toString('hex'))).toEqual(before.map((v) => Buffer.from(v.ciphertext).toString('hex')));
    const onlyNew = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[2, newKey]]), activeVersion: 2 }) });
    expect(after.map((v) => plain(v, onlyNew))).toEqual(secrets);
    expect(await api.db.credentialVersion.count({ where: { keyVersion: 1 } })).toBe(0);
    // A second factor's TOTP secret opens under the new key alone, unchanged.
    const factor = await api.db.mfaFactor.findUniqueOrThrow({ where: { id: totp.body.factorId } });
    expect(factor.secretKeyVersion).toBe(2);
    expect(openTotpSecret(onlyNew, factor)).toBe(totp.body.secret);
    // The waiting import's file opens under the new key alone, the same bytes.
    const opened = await openUpload(onlyNew, importId, partCount, (part) => api.db.importUpload.findUnique({ where: { importId_part: { importId, part } } }));
    expect(opened?.file.equals(importFile)).toBe(true);

    // The audit key opens under the new key alone, the same key as before: the trail still verifies.
    const keysAfter = (await openAuditKeys({ vault: onlyNew, settings }))!;
    expect(keysAfter.chainKey.equals(keysBefore.chainKey)).toBe(true);
    expect(await createAuditService({ repo: createAuditRepo(api.db), keys: keysAfter }).verify()).toMatchObject({ ok: true, problems: [] });
  });
});

describe('master key rotation of the webhook secrets and URLs, the LDAP bind password and the single sign-on client secret', () => {
  // The LDAP and single sign-on secrets are one setting each: a database of its own.
  let url: string;
  let db: Database;
  let auditKeys: AuditKeys;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  const oldOnly = vaultOf([1, oldKey]);
  const both = vaultOf([2, newKey], [1, oldKey]);
  const newOnly = vaultOf([2, newKey]);
  beforeAll(async () => {
    url = await createEmptyDatabase(adminUrl(), 'passman_rewrap_settings');
    await migrate(url);
    db = createPrismaClient(url, { max: 4 });
    auditKeys = (await openAuditKeys({ vault: oldOnly, settings: createSettingsRepo(db) }))!;
    await createAuditService({ repo: createAuditRepo(db), keys: auditKeys }).initialize();
  });
  afterAll(async () => {
    await db.$disconnect();
    await dropDatabase(adminUrl(), url);
  });

  // Each value sealed and opened as PassMan itself does. Each webhook's URL carries a token of its own.
  const urlWith = (token: string) => `https://hooks.example.test/in/${token}?token=${token}`;
  const addWebhook = async (vault: Vault, secret: string) => {
    const id = randomUUID();
    await db.webhook.create({
      data: { id, name: `hook-${id}`, ...sealWebhookUrl(vault, id, urlWith(secret)), secretSealed: sealWebhookSecret(vault, id, secret), rules: [] },
    });
    return id;
  };
  const storedWebhook = async (id: string) => (await db.webhook.findUniqueOrThrow({ where: { id } })).secretSealed;
  const storedUrl = async (id: string) => (await db.webhook.findUniqueOrThrow({ where: { id } })).urlSealed!;
  const putBindPassword = (vault: Vault, password: string) => createSettingsRepo(db).put(LDAP_BIND_PASSWORD_KEY, sealBindPassword(vault, password));
  const storedBindPassword = async () => (await createSettingsRepo(db).get(LDAP_BIND_PASSWORD_KEY))!;
  const putClientSecret = (vault: Vault, secret: string) =>
    createOidcSettingsStore({ repo: createOidcRepo(db), vault }).save(createOidcRepo(db), DEFAULT_OIDC_SETTINGS, secret);
  const clientSecret = (vault: Vault) => createOidcSettingsStore({ repo: createOidcRepo(db), vault }).clientSecret();
  const storedClientSecret = async () => (await createSettingsRepo(db).get('oidc.client_secret'))!;
  const keyVersionOf = (stored: string) => (JSON.parse(stored) as { keyVersion: number }).keyVersion;
  const lastRewrapEvent = async () =>
    (await db.auditEvent.findFirstOrThrow({ where: { action: 'vault.rewrap' }, orderBy: { seq: 'desc' } })).details as Record<string, unknown>;
  const noCounts = { rewrapped: 0, totpSecrets: 0, importUploadParts: 0, webhookSecrets: 0, webhookUrls: 0 };
  const nothing = { ...noCounts, ldapBindPassword: false, oidcClientSecret: false, auditKey: false, unopenable: [] };

  it('re-wraps each under the new key: they open with it alone, the same secrets; a second run re-wraps nothing', async () => {
    const secrets = ['whsec_one', 'whsec_two', 'whsec_three'];
    const ids = await Promise.all(secrets.map((secret) => addWebhook(oldOnly, secret)));
    // One already under the new key is left as it is.
    const current = await addWebhook(both, 'whsec_current');
    const currentStored = await storedWebhook(current);
    const currentUrl = await storedUrl(current);
    // A row from before URLs were sealed: its clear URL is the start's to seal, not the rewrap's.
    const clearId = randomUUID();
    await db.webhook.create({
      data: { id: clearId, name: `hook-${clearId}`, urlClear: urlWith('clear'), secretSealed: sealWebhookSecret(both, clearId, 'whsec_clear'), rules: [] },
    });
    await putBindPassword(oldOnly, 'ldap-bind-pw');
    await putClientSecret(oldOnly, 'oidc-client-secret');
    // Before the run the new key alone opens none of them.
    const storedFirst = await storedWebhook(ids[0]!);
    expect(() => openWebhookSecret(newOnly, ids[0]!, storedFirst)).toThrow();
    const storedFirstUrl = await storedUrl(ids[0]!);
    expect(() => openWebhookUrl(newOnly, ids[0]!, storedFirstUrl)).toThrow();
    const storedPassword = await storedBindPassword();
    expect(() => openBindPassword(newOnly, storedPassword)).toThrow();
    await expect(clientSecret(newOnly)).rejects.toThrow();

    // Batches of 2: the three webhooks take two pages.
    const first = await rewrapService(db, both, auditKeys).rewrapAll({ batchSize: 2 });
    expect(first).toEqual({ ...nothing, webhookSecrets: 3, webhookUrls: 3, ldapBindPassword: true, oidcClientSecret: true, auditKey: true });
    expect(await lastRewrapEvent()).toMatchObject({ ...first, unopenable: 0, unopenableValues: [], activeKeyVersion: 2 });
    for (const [i, id] of ids.entries()) {
      const stored = await storedWebhook(id);
      expect(keyVersionOf(stored)).toBe(2);
      expect(openWebhookSecret(newOnly, id, stored)).toBe(secrets[i]);
      const url = await storedUrl(id);
      expect(keyVersionOf(url)).toBe(2);
      expect(openWebhookUrl(newOnly, id, url)).toBe(urlWith(secrets[i]!));
    }
    expect(await storedWebhook(current)).toBe(currentStored);
    expect(await storedUrl(current)).toBe(currentUrl);
    expect(await db.webhook.findUniqueOrThrow({ where: { id: clearId } })).toMatchObject({ urlClear: urlWith('clear'), urlSealed: null });
    expect(keyVersionOf(await storedBindPassword())).toBe(2);
    expect(openBindPassword(newOnly, await storedBindPassword())).toBe('ldap-bind-pw');
    expect(keyVersionOf(await storedClientSecret())).toBe(2);
    expect(await clientSecret(newOnly)).toBe('oidc-client-secret');

    const storedAll = async () => [
      ...(await Promise.all(ids.map(storedWebhook))),
      ...(await Promise.all(ids.map(storedUrl))),
      await storedBindPassword(),
      await storedClientSecret(),
    ];
    const before = await storedAll();
    expect(await rewrapService(db, both, auditKeys).rewrapAll({ batchSize: 2 })).toEqual(nothing);
    expect(await lastRewrapEvent()).toMatchObject({ webhookSecrets: 0, webhookUrls: 0, ldapBindPassword: false, oidcClientSecret: false, auditKey: false });
    expect(await storedAll()).toEqual(before);
  });

  it('keeps a value changed between its read and its write, and the next run re-wraps that one', async () => {
    const id = await addWebhook(oldOnly, 'whsec_before');
    await putBindPassword(oldOnly, 'bind-before');
    await putClientSecret(oldOnly, 'client-before');
    // Each guarded write first finds the value replaced, as by a process still running with the old key alone.
    const webhooks = createWebhooksRepo(db);
    const ldap = createLdapRepo(db);
    const oidc = createOidcRepo(db);
    const racing = rewrapService(db, both, auditKeys, {
      webhooks: {
        ...webhooks,
        replaceSealedSecret: async (webhookId, expected, next) => {
          await db.webhook.update({ where: { id: webhookId }, data: { secretSealed: sealWebhookSecret(oldOnly, webhookId, 'whsec_changed') } });
          return webhooks.replaceSealedSecret(webhookId, expected, next);
        },
        replaceSealedUrl: async (webhookId, expected, next) => {
          await db.webhook.update({ where: { id: webhookId }, data: sealWebhookUrl(oldOnly, webhookId, urlWith('changed')) });
          return webhooks.replaceSealedUrl(webhookId, expected, next);
        },
      },
      ldap: {
        ...ldap,
        compareAndSetSetting: async (key, expected, next) => {
          await putBindPassword(oldOnly, 'bind-changed');
          return ldap.compareAndSetSetting(key, expected, next);
        },
      },
      oidc: {
        ...oidc,
        replaceSetting: async (key, expected, next) => {
          await putClientSecret(oldOnly, 'client-changed');
          return oidc.replaceSetting(key, expected, next);
        },
      },
    });
    expect(await racing.rewrapAll()).toEqual(nothing);
    expect(await lastRewrapEvent()).toMatchObject({ webhookSecrets: 0, webhookUrls: 0, ldapBindPassword: false, oidcClientSecret: false });
    // The changed values stand, still under the old key.
    expect(keyVersionOf(await storedWebhook(id))).toBe(1);
    expect(openWebhookSecret(oldOnly, id, await storedWebhook(id))).toBe('whsec_changed');
    expect(keyVersionOf(await storedUrl(id))).toBe(1);
    expect(openWebhookUrl(oldOnly, id, await storedUrl(id))).toBe(urlWith('changed'));
    expect(openBindPassword(oldOnly, await storedBindPassword())).toBe('bind-changed');
    expect(await clientSecret(oldOnly)).toBe('client-changed');

    const next = await rewrapService(db, both, auditKeys).rewrapAll();
    expect(next).toEqual({ ...nothing, webhookSecrets: 1, webhookUrls: 1, ldapBindPassword: true, oidcClientSecret: true });
    expect(openWebhookSecret(newOnly, id, await storedWebhook(id))).toBe('whsec_changed');
    expect(openWebhookUrl(newOnly, id, await storedUrl(id))).toBe(urlWith('changed'));
    expect(openBindPassword(newOnly, await storedBindPassword())).toBe('bind-changed');
    expect(await clientSecret(newOnly)).toBe('client-changed');
  });
  it('names a value that does not open and goes on: the rest is re-wrapped, the audit key and settings first', async () => {
    // A webhook whose secret was altered in the database and one whose URL seal was moved from another row.
    const altered = await addWebhook(oldOnly, 'whsec_altered');
    await db.webhook.update({ where: { id: altered }, data: { secretSealed: 'not a sealed value' } });
    const donor = await addWebhook(oldOnly, 'whsec_donor');
    const moved = await addWebhook(oldOnly, 'whsec_moved');
    await db.webhook.update({ where: { id: moved }, data: { urlSealed: await storedUrl(donor) } });
    const fine = await addWebhook(oldOnly, 'whsec_fine');
    await putBindPassword(oldOnly, 'bind-fine');

    const run = await rewrapService(db, both, auditKeys).rewrapAll({ batchSize: 1 });
    expect(run.unopenable).toEqual(
      expect.arrayContaining([
        { kind: 'webhook-secret', id: altered },
        { kind: 'webhook-url', id: moved },
      ]),
    );
    expect(run.unopenable).toHaveLength(2);
    // Everything else moved on: the three sound secrets, the three sound URLs, the bind password.
    expect(run).toMatchObject({ webhookSecrets: 3, webhookUrls: 3, ldapBindPassword: true });
    expect(openWebhookSecret(newOnly, fine, await storedWebhook(fine))).toBe('whsec_fine');
    expect(openWebhookUrl(newOnly, donor, await storedUrl(donor))).toBe(urlWith('whsec_donor'));
    expect(openBindPassword(newOnly, await storedBindPassword())).toBe('bind-fine');
    // The broken ones are left as they were, and the audit event names them by id, never by value.
    expect(await storedWebhook(altered)).toBe('not a sealed value');
    const event = await lastRewrapEvent();
    expect(event).toMatchObject({ unopenable: 2, unopenableValues: expect.arrayContaining([`webhook-secret:${altered}`, `webhook-url:${moved}`]) });
    expect(JSON.stringify(event)).not.toContain('not a sealed value');

    // A second run names them again and finds nothing else to do.
    const again = await rewrapService(db, both, auditKeys).rewrapAll();
    expect(again).toEqual({ ...nothing, unopenable: run.unopenable });
    await db.webhook.deleteMany({ where: { id: { in: [altered, moved] } } });
  });
});
