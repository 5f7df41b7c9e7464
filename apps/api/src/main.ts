// `npm start`: the API, the web console and (unless PASSMAN_RUN_WORKER=false) the job worker.
import { once } from 'node:events';
import { createApp } from './app.js';
import { bootstrap, onShutdown, schedulerOptions, workerOptions } from './bootstrap.js';
import { trustProxySetting } from './config.js';
import { createMetrics } from './lib/metrics.js';
import { startJobEventHub } from './modules/jobs/job-events.js';
import { ensureFirstAdmin } from './modules/users/first-admin.js';
import { createServices } from './services.js';
import { VERSION } from './version.js';
import { startScheduler, startWorker } from './worker.js';

const runtime = await bootstrap({ role: 'server' });
const { config, logger, db } = runtime;
const events = await startJobEventHub(runtime.databaseUrl);
const services = createServices({
  db,
  session: { idleMs: config.PASSMAN_SESSION_IDLE_MINUTES * 60_000, maxAgeMs: config.PASSMAN_SESSION_MAX_HOURS * 3_600_000 },
  cookieSecure: config.PASSMAN_COOKIE_SECURE,
  migrationNames: runtime.migrationNames,
  vault: runtime.vault,
  auditKeys: runtime.auditKeys,
  logger,
  connector: runtime.connector,
  queue: runtime.queue,
  events,
});

// Creating the first admin is audited: while the vault is sealed it waits for a start with the key.
const admin = runtime.auditKeys
  ? await ensureFirstAdmin({
      repo: services.usersRepo,
      hasher: services.hasher,
      audit: services.audit,
      username: config.PASSMAN_ADMIN_USERNAME,
      password: config.PASSMAN_ADMIN_PASSWORD,
    })
  : { created: false as const };
if (admin.created && admin.generatedPassword) {
  // Printed once, to the terminal only — never through the logger.
  process.stdout.write(
    `\n  First admin created: ${admin.username}\n  One-time password:   ${admin.generatedPassword}\n  (It is not stored anywhere else. Set PASSMAN_ADMIN_PASSWORD to choose it yourself.)\n\n`,
  );
} else if (admin.created) {
  logger.info({ username: admin.username }, 'first admin created with PASSMAN_ADMIN_PASSWORD');
}

const worker = config.PASSMAN_RUN_WORKER
  ? startWorker({ db, vault: runtime.vault, connector: runtime.connector, queue: runtime.queue, audit: services.audit, logger, options: workerOptions(config) })
  : undefined;
const scheduler = worker
  ? startScheduler({ db, vault: runtime.vault, queue: runtime.queue, audit: services.audit, policies: services.policies, logger, options: schedulerOptions(config) })
  : undefined;

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
logger.info({ url: `http://${config.PASSMAN_HOST}:${config.PASSMAN_PORT}`, worker: Boolean(worker) }, `PassMan ${VERSION} is listening`);

const sessionSweep = setInterval(() => {
  services.auth.purgeExpiredSessions().catch((err: unknown) => logger.warn({ err }, 'session sweep failed'));
}, 10 * 60_000);
sessionSweep.unref();

onShutdown(logger, async () => {
  clearInterval(sessionSweep);
  server.close();
  server.closeAllConnections();
  await scheduler?.stop();
  await worker?.stop();
  await events.stop();
  await runtime.stop();
});
