import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { createMasterKeyRing, createVault, CREDENTIAL_SECRET_PURPOSE } from '@passman/vault';
import pino from 'pino';
import { createAccount } from '../../test/factories.js';
import { createTestApi, loginAs, type TestApi } from '../../test/harness.js';
import { createEmptyDatabase, dropDatabase } from '../../../../../packages/testkit/src/db/test-database.js';
import { createPrismaClient, migrate, type Database } from '@passman/db';
import { createAuditService } from '../audit/audit.service.js';
import { rewrapAll } from './rewrap.js';
import { createSettingsRepo } from './settings.repo.js';
import { openVault } from './vault-state.js';

const silent = pino({ level: 'silent' });
const key = () => randomBytes(32).toString('base64');
const adminUrl = () => process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;

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

describe('master key rotation', () => {
  // Rotation walks every row: it gets a database of its own, whose rows are all under oldKey.
  let api: TestApi;
  let url: string;
  const oldKey = randomBytes(32);
  const newKey = randomBytes(32);
  beforeAll(async () => {
    url = await createEmptyDatabase(adminUrl(), 'passman_rotation');
    await migrate(url);
    api = await createTestApi({ databaseUrl: url, vault: createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, oldKey]]), activeVersion: 1 }) }) });
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
      const res = await operator.agent.post(`/api/v1/accounts/${account.id}/credentials`).set('X-CSRF-Token', operator.csrf).send({ type, generate: true }).expect(201);
      ids.push(res.body.id);
    }
    const before = await api.db.credentialVersion.findMany({ where: { credentialId: { in: ids } } });
    const plain = (v: typeof before[number], vault = api.services.vault) =>
      vault.decrypt(v, { credentialId: v.credentialId, version: v.version, purpose: CREDENTIAL_SECRET_PURPOSE }).toString();
    const secrets = before.map((v) => plain(v));

    const both = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[2, newKey], [1, oldKey]]), activeVersion: 2 }) });
    const { rewrapped } = await rewrapAll({ db: api.db, vault: both, audit: createAuditService({ db: api.db }) });
    expect(rewrapped).toBeGreaterThanOrEqual(2);

    const after = await api.db.credentialVersion.findMany({ where: { credentialId: { in: ids } } });
    expect(after.map((v) => v.keyVersion)).toEqual([2, 2]);
    expect(after.map((v) => Buffer.from(v.ciphertext).toString('hex'))).toEqual(before.map((v) => Buffer.from(v.ciphertext).toString('hex')));
    const onlyNew = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[2, newKey]]), activeVersion: 2 }) });
    expect(after.map((v) => plain(v, onlyNew))).toEqual(secrets);
    expect(await api.db.credentialVersion.count({ where: { keyVersion: 1 } })).toBe(0);
  });
});
