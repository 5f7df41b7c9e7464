// `npm run vault:rewrap`: re-wraps every value sealed under the master key (credentials' data keys, TOTP
// secrets, waiting import files, webhook secrets and URLs, the LDAP bind password, the single sign-on client
// secret and the audit key) under the active master key.
// Rotate a master key without downtime: add the new key to PASSMAN_MASTER_KEY (or its file) as
// the FIRST entry, keeping the old one after it; restart PassMan; run this; then drop the old key.
// With the embedded default, run it while PassMan runs (it connects to the same cluster).
import { createPrismaClient, embeddedDatabaseUrl, migrate } from '@passman/db';
import { loadConfig } from '../config.js';
import { createLogger } from '../lib/logger.js';
import { createAuditRepo, createAuditService, openAuditKeys } from '../modules/audit/index.js';
import { createLdapRepo } from '../modules/ldap/index.js';
import { createOidcRepo } from '../modules/oidc/index.js';
import { createSettingsRepo, createVaultRepo, createVaultService, openVault } from '../modules/vault/index.js';
import { createWebhooksRepo } from '../modules/webhooks/index.js';

const config = loadConfig();
const logger = createLogger({ level: config.PASSMAN_LOG_LEVEL });
const url = config.DATABASE_URL ?? (await embeddedDatabaseUrl(config.PASSMAN_DATA_DIR, config.PASSMAN_EMBEDDED_PG_PORT));
await migrate(url); // the same schema PassMan itself would run on
const db = createPrismaClient(url, { max: 2 });
try {
  const settings = createSettingsRepo(db);
  const { vault } = await openVault({
    env: process.env,
    settings,
    logger,
    embeddedDataDir: config.DATABASE_URL ? undefined : config.PASSMAN_DATA_DIR,
  });
  if (vault.sealed) {
    logger.error({ reason: vault.sealedReason }, 'the vault is sealed; fix the master key configuration first');
    process.exitCode = 1;
  } else {
    const audit = createAuditService({ repo: createAuditRepo(db), keys: await openAuditKeys({ vault, settings }), logger });
    await audit.initialize();
    const result = await createVaultService({
      repo: createVaultRepo(db),
      settings,
      vault,
      audit,
      webhooks: createWebhooksRepo(db),
      ldap: createLdapRepo(db),
      oidc: createOidcRepo(db),
    }).rewrapAll();
    // Counts, flags and ids only: what was re-wrapped, never a value.
    const { unopenable, ...counts } = result;
    logger.info(
      { ...counts, unopenable: unopenable.length, activeKeyVersion: vault.activeKeyVersion },
      'rewrap finished: what was counted is now under the active master key; a value changed while it ran is left for the next run',
    );
    if (unopenable.length > 0) {
      // Altered or moved in the database, or under a key no longer configured: named so a person can restore or re-enter them.
      logger.error(
        { unopenable: unopenable.map((u) => `${u.kind}:${u.id}`) },
        'some stored values do not open and were left as they are: look at them (restore them, or enter them again) before dropping the old master key',
      );
      process.exitCode = 2;
    }
  }
} finally {
  await db.$disconnect();
}
