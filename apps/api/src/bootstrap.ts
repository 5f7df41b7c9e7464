import { accessSync, constants } from 'node:fs';
import { constants as osConstants } from 'node:os';
import { setTimeout as delay } from 'node:timers/promises';
import { createSshConnector } from '@passman/connectors';
import { createPrismaClient, embeddedDatabaseUrl, migrate, readMigrations, startEmbeddedPostgres, type Database, type EmbeddedDatabase } from '@passman/db';
import type { Vault } from '@passman/vault';
import { ConfigError, loadConfig, type AppConfig } from './config.js';
import { createLogger, type Logger } from './lib/logger.js';
import {
  createAuditRepo,
  createAuditService,
  openAuditKeys,
  startAuditCheckpointer,
  type AuditKeys,
  type AuditService,
  type CheckpointOptions,
} from './modules/audit/index.js';
import {
  DEFAULT_AUDIT_STREAM_OPTIONS,
  jsonLinesDestination,
  parseSyslogUrl,
  syslogDestination,
  type AuditStreamOptions,
  type StreamDestination,
} from './modules/audit-stream/index.js';
import { createJobQueue, type JobQueue } from './modules/jobs/index.js';
import { DEFAULT_SCHEDULER_OPTIONS, type SchedulerOptions } from './modules/schedule/index.js';
import { createSettingsRepo, openVault } from './modules/vault/index.js';
import { createWebhooksRepo, sealClearWebhookUrls } from './modules/webhooks/index.js';

export interface Runtime {
  config: AppConfig;
  logger: Logger;
  databaseUrl: string;
  db: Database;
  vault: Vault;
  /** Null while the vault is sealed: then every audited action fails closed (503 SEALED). */
  auditKeys: AuditKeys | null;
  /** The audit trail, its head ready (the checkpointer runs until stop()). */
  audit: AuditService;
  queue: JobQueue;
  connector: ReturnType<typeof createSshConnector>;
  migrationNames: string[];
  stop(): Promise<void>;
}

/** Config, database (embedded or DATABASE_URL), migrations, vault, queue and connector: what the API and the worker share. */
export async function bootstrap(options: { role: 'server' | 'worker' }): Promise<Runtime> {
  let config: AppConfig;
  try {
    config = loadConfig();
    // Unreadable certificate files of the audit stream stop the start here, before anything runs.
    auditStreamDestinations(config);
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(2);
    }
    throw error;
  }
  const logger = createLogger({ level: config.PASSMAN_LOG_LEVEL }).child({ role: options.role });
  logFatalErrors(logger);

  let embedded: EmbeddedDatabase | undefined;
  let databaseUrl = config.DATABASE_URL;
  if (!databaseUrl && options.role === 'worker') {
    // The embedded cluster belongs to the `npm start` process: join it rather than start another.
    databaseUrl = await embeddedDatabaseUrl(config.PASSMAN_DATA_DIR, config.PASSMAN_EMBEDDED_PG_PORT);
  }
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
    embeddedDataDir: config.DATABASE_URL ? undefined : config.PASSMAN_DATA_DIR,
  });
  if (generatedKeyFile) {
    process.stdout.write(
      `\n  Generated the vault's master key: ${generatedKeyFile} (mode 0600).\n  Back it up apart from the database: without it the stored credentials cannot be decrypted.\n\n`,
    );
  }
  const auditKeys = await openAuditKeysOrNone(vault, createSettingsRepo(db), logger);
  const audit = createAuditService({ repo: createAuditRepo(db), keys: auditKeys, logger });
  await audit.initialize({ adoptUnkeyedTrail: config.PASSMAN_AUDIT_ADOPT_UNKEYED_TRAIL });
  const checkpointer = auditKeys ? startAuditCheckpointer({ audit, logger }, checkpointOptions(config)) : undefined;
  await sealClearWebhookUrlsAtStart(vault, db, logger);
  const queue = createJobQueue({ databaseUrl });
  const connector = createSshConnector({
    maxConnectionsPerTarget: config.PASSMAN_SSH_MAX_CONNECTIONS_PER_TARGET,
    readyTimeoutMs: config.PASSMAN_SSH_READY_TIMEOUT_MS,
    operationDeadlineMs: config.PASSMAN_SSH_OPERATION_TIMEOUT_MS,
    onUnexpectedError: (err) => logger.warn({ err: { message: err.message } }, 'unexpected ssh error'),
  });

  return {
    config,
    logger,
    databaseUrl,
    db,
    vault,
    auditKeys,
    audit,
    queue,
    connector,
    migrationNames: (await readMigrations()).map((m) => m.name),
    async stop() {
      await checkpointer?.stop();
      await db.$disconnect();
      if (embedded) await embedded.stop();
    },
  };
}

/**
 * The audit keys, or none (sealed): a stored audit key that cannot be opened although the master
 * key passed its check was tampered with — PassMan then runs, but refuses whatever is audited.
 */
async function openAuditKeysOrNone(vault: Vault, settings: ReturnType<typeof createSettingsRepo>, logger: Logger): Promise<AuditKeys | null> {
  try {
    const keys = await openAuditKeys({ vault, settings });
    if (!keys) logger.warn('the vault is sealed: nothing that is audited can be done (login included) until the master key is provided');
    return keys;
  } catch (err) {
    logger.error({ err: { message: (err as Error).message } }, 'the stored audit key cannot be opened: nothing that is audited can be done');
    return null;
  }
}

/**
 * Seals the webhook URLs still stored in clear (rows from before URLs were sealed: a migration cannot
 * seal, the master key never reaches the database). Every process does it at start; each row is
 * replaced only while still in clear, so processes starting together seal it once. A failure
 * leaves the rows working in clear until the next start tries again; its log names no value.
 */
async function sealClearWebhookUrlsAtStart(vault: Vault, db: Database, logger: Logger): Promise<void> {
  if (vault.sealed) return;
  try {
    const sealed = await sealClearWebhookUrls({ vault, repo: createWebhooksRepo(db) });
    // Warned, not only told: backups and old row versions from before still hold them in clear.
    if (sealed > 0)
      logger.warn(
        { webhookUrls: sealed },
        'sealed the webhook URLs stored in clear under the master key; backups from before still hold them: have their receivers issue new tokens',
      );
  } catch (err) {
    const { name, code } = err as { name?: string; code?: string };
    logger.error({ err: { name, code } }, 'the webhook URLs stored in clear could not be sealed; the next start tries again');
  }
}

export function checkpointOptions(config: AppConfig): CheckpointOptions {
  const everyMs = config.PASSMAN_AUDIT_CHECKPOINT_MINUTES * 60_000;
  return { everyEvents: config.PASSMAN_AUDIT_CHECKPOINT_EVENTS, everyMs, tickMs: Math.min(30_000, everyMs) };
}

/** Timed checks and rotation (modules/schedule); they run wherever a worker runs. */
export function schedulerOptions(config: AppConfig): SchedulerOptions {
  return {
    ...DEFAULT_SCHEDULER_OPTIONS,
    checkEveryMs: config.PASSMAN_CHECK_INTERVAL_HOURS === 0 ? null : config.PASSMAN_CHECK_INTERVAL_HOURS * 3_600_000,
    rotate: config.PASSMAN_ROTATE,
    tickMs: config.PASSMAN_SCHEDULE_TICK_SECONDS * 1000,
  };
}

export function workerOptions(config: AppConfig) {
  return {
    concurrency: config.PASSMAN_WORKER_CONCURRENCY,
    leaseMs: config.PASSMAN_JOB_LEASE_SECONDS * 1000,
    maxAttempts: config.PASSMAN_JOB_MAX_ATTEMPTS,
    ...(config.PASSMAN_JOB_RECOVERY_HOURS !== undefined && { recoveryDeadlineMs: config.PASSMAN_JOB_RECOVERY_HOURS * 3_600_000 }),
  };
}

/**
 * Where audit events are streamed (docs/siem.md): syslog and/or JSON lines, from the environment.
 * A certificate file that cannot be read is a ConfigError (bootstrap calls this first, so it
 * stops the start rather than the first batch).
 */
export function auditStreamDestinations(config: AppConfig): StreamDestination[] {
  const destinations: StreamDestination[] = [];
  const url = config.PASSMAN_AUDIT_SYSLOG ? parseSyslogUrl(config.PASSMAN_AUDIT_SYSLOG) : null;
  if (url) {
    const files = { caFile: config.PASSMAN_AUDIT_SYSLOG_CA, certFile: config.PASSMAN_AUDIT_SYSLOG_CERT, keyFile: config.PASSMAN_AUDIT_SYSLOG_KEY };
    for (const [name, file] of Object.entries(files)) {
      if (!file) continue;
      try {
        accessSync(file, constants.R_OK);
      } catch {
        throw new ConfigError(`audit syslog: the ${name.replace(/File$/, '')} file ${file} cannot be read`);
      }
    }
    destinations.push(
      syslogDestination({
        target: { ...url, timeoutMs: config.PASSMAN_AUDIT_SYSLOG_TIMEOUT_MS, tls: { ...files, serverName: config.PASSMAN_AUDIT_SYSLOG_SERVERNAME } },
        facility: config.PASSMAN_AUDIT_SYSLOG_FACILITY,
        hostname: config.PASSMAN_AUDIT_SYSLOG_HOSTNAME,
      }),
    );
  }
  if (config.PASSMAN_AUDIT_JSON) destinations.push(jsonLinesDestination(config.PASSMAN_AUDIT_JSON));
  return destinations;
}

export function auditStreamOptions(config: AppConfig): AuditStreamOptions {
  // The lease outlives the longest batch (a syslog connection's timeout) by a margin.
  return { ...DEFAULT_AUDIT_STREAM_OPTIONS, from: config.PASSMAN_AUDIT_STREAM_FROM, leaseMs: Math.max(60_000, config.PASSMAN_AUDIT_SYSLOG_TIMEOUT_MS * 4) };
}

/** Logs what would otherwise kill the process silently, then exits (a supervisor restarts it). */
export function logFatalErrors(logger: Logger): void {
  process.on('uncaughtException', (err) => {
    logger.fatal({ err }, 'uncaught exception');
    process.exit(1);
  });
  process.on('unhandledRejection', (reason) => {
    logger.fatal({ err: reason }, 'unhandled promise rejection');
    process.exit(1);
  });
}

/**
 * Runs `stop` once on SIGINT/SIGTERM, then exits. These signals are this handler's alone: importing
 * embedded-postgres registers an exit hook (async-exit-hook) that answers them by exiting at once
 * with 128 + the signal, which cut every graceful stop short — a worker's jobs in flight were not
 * finished or given back, and an import not handed on. `stop` stops the embedded cluster itself.
 * A second signal while stopping exits at once (a job waiting on a target that does not answer
 * must not hold the process), and so does a stop still under way after `deadlineMs` (a supervisor
 * that sends SIGTERM alone would otherwise wait for it): what was in flight is taken over once
 * its lease lapses. `release` (the database connections, and the embedded cluster, whose next
 * start a cluster left running would block) runs after `stop`, or at the deadline, for at most
 * RELEASE_MS, and once.
 */
/** How long releasing the database may take once the shutdown deadline has passed. */
const RELEASE_MS = 10_000;

export function onShutdown(logger: Logger, stop: () => Promise<void>, options: { deadlineMs: number; release: () => Promise<void> }): void {
  let released: Promise<void> | undefined;
  const release = () => (released ??= options.release());
  process.removeAllListeners('SIGINT');
  process.removeAllListeners('SIGTERM');
  let stopping = false;
  const handler = (signal: 'SIGINT' | 'SIGTERM') => {
    if (stopping) {
      logger.warn({ signal }, 'asked again while stopping: exiting now');
      process.exit(128 + osConstants.signals[signal]);
    }
    stopping = true;
    logger.info({ signal }, 'shutting down');
    // Not unref'd: a stop stuck on a promise that never settles must not let the process end as if it had stopped.
    setTimeout(() => {
      logger.error(
        { signal, deadlineSeconds: options.deadlineMs / 1000 },
        'still stopping at the shutdown deadline: exiting now; the jobs under way run again once their leases lapse',
      );
      void Promise.race([release().catch(() => undefined), delay(RELEASE_MS)]).finally(() => process.exit(1));
    }, options.deadlineMs);
    stop()
      .then(release)
      .then(() => {
        logger.info('stopped');
        process.exit(0);
      })
      .catch((err: unknown) => {
        logger.error({ err }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.on('SIGINT', () => handler('SIGINT'));
  process.on('SIGTERM', () => handler('SIGTERM'));
}

/** How long a stop may take before the process exits anyway (onShutdown). */
export const shutdownOptions = (config: AppConfig) => ({ deadlineMs: config.PASSMAN_SHUTDOWN_TIMEOUT_SECONDS * 1000 });

/** Where webhooks may point (modules/webhooks/webhook-url.ts). */
export function webhookUrlPolicy(config: AppConfig) {
  return { allowedHosts: config.PASSMAN_WEBHOOK_ALLOWED_HOSTS, allowLinkLocal: config.PASSMAN_WEBHOOK_ALLOW_LINK_LOCAL };
}

export function alertingOptions(config: AppConfig) {
  return {
    engine: { rotationGraceMs: config.PASSMAN_ALERT_ROTATION_GRACE_HOURS * 3_600_000, sweepEveryMs: config.PASSMAN_ALERT_SWEEP_SECONDS * 1000 },
    policy: webhookUrlPolicy(config),
  };
}
