import { once } from 'node:events';
import { createPrismaClient, migrate, readMigrations, startEmbeddedPostgres, type EmbeddedDatabase } from '@passman/db';
import { createApp } from './app.js';
import { ConfigError, loadConfig, trustProxySetting } from './config.js';
import { createLogger } from './lib/logger.js';
import { createMetrics } from './lib/metrics.js';
import { ensureFirstAdmin } from './modules/users/first-admin.js';
import { createSettingsRepo } from './modules/vault/settings.repo.js';
import { openVault } from './modules/vault/vault-state.js';
import { createServices } from './services.js';
import { VERSION } from './version.js';

let config;
try {
  config = loadConfig();
} catch (error) {
  if (error instanceof ConfigError) {
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
  throw error;
}

const logger = createLogger({ level: config.PASSMAN_LOG_LEVEL });
let embedded: EmbeddedDatabase | undefined;
let databaseUrl = config.DATABASE_URL;
if (!databaseUrl) {
  logger.info({ dataDir: config.PASSMAN_DATA_DIR }, 'no DATABASE_URL: starting the embedded PostgreSQL');
  embedded = await startEmbeddedPostgres({
    dataDir: config.PASSMAN_DATA_DIR,
    port: config.PASSMAN_EMBEDDED_PG_PORT,
    onLog: (line) => logger.debug({ component: 'embedded-postgres' }, line.trim()),
  });
  databaseUrl = embedded.url;
}

const applied = await migrate(databaseUrl);
if (applied.length > 0) logger.info({ migrations: applied }, 'applied migrations');

const db = createPrismaClient(databaseUrl, {
  max: config.PASSMAN_DB_POOL_MAX,
  connectionTimeoutMillis: config.PASSMAN_DB_CONNECTION_TIMEOUT_MS,
  statementTimeoutMillis: config.PASSMAN_DB_STATEMENT_TIMEOUT_MS,
});
const { vault, generatedKeyFile } = await openVault({
  env: process.env,
  settings: createSettingsRepo(db),
  logger,
  embeddedDataDir: embedded ? config.PASSMAN_DATA_DIR : undefined,
});
if (generatedKeyFile) {
  process.stdout.write(
    `\n  Generated the vault's master key: ${generatedKeyFile} (mode 0600).\n  Back it up apart from the database: without it the stored credentials cannot be decrypted.\n\n`,
  );
}

const session = { idleMs: config.PASSMAN_SESSION_IDLE_MINUTES * 60_000, maxAgeMs: config.PASSMAN_SESSION_MAX_HOURS * 3_600_000 };
const services = createServices({
  db,
  session,
  cookieSecure: config.PASSMAN_COOKIE_SECURE,
  migrationNames: (await readMigrations()).map((m) => m.name),
  vault,
});

const admin = await ensureFirstAdmin({
  repo: services.usersRepo,
  hasher: services.hasher,
  audit: services.audit,
  username: config.PASSMAN_ADMIN_USERNAME,
  password: config.PASSMAN_ADMIN_PASSWORD,
});
if (admin.created && admin.generatedPassword) {
  // Printed once, to the terminal only — never through the logger.
  process.stdout.write(
    `\n  First admin created: ${admin.username}\n  One-time password:   ${admin.generatedPassword}\n  (It is not stored anywhere else. Set PASSMAN_ADMIN_PASSWORD to choose it yourself.)\n\n`,
  );
} else if (admin.created) {
  logger.info({ username: admin.username }, 'first admin created with PASSMAN_ADMIN_PASSWORD');
}

const app = createApp({
  logger,
  metrics: createMetrics(),
  auth: services.auth,
  health: services.health,
  bindings: services.bindings,
  version: VERSION,
  trustProxy: trustProxySetting(config.PASSMAN_TRUST_PROXY),
  webDist: config.PASSMAN_WEB_DIST,
});

const server = app.listen(config.PASSMAN_PORT, config.PASSMAN_HOST);
await once(server, 'listening');
logger.info({ url: `http://${config.PASSMAN_HOST}:${config.PASSMAN_PORT}` }, `PassMan ${VERSION} is listening`);

const sessionSweep = setInterval(() => {
  services.auth.purgeExpiredSessions().catch((err: unknown) => logger.warn({ err }, 'session sweep failed'));
}, 10 * 60_000);
sessionSweep.unref();

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  clearInterval(sessionSweep);
  server.close();
  server.closeAllConnections();
  await db.$disconnect();
  if (embedded) await embedded.stop();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));
