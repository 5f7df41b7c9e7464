import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import { createPrismaClient, readMigrations } from '@passman/db';
import { createSshConnector } from '@passman/connectors';
import { createMasterKeyRing, createVault, type Vault } from '@passman/vault';
import supertest from 'supertest';
import { recordLogLine, recordMasterKey } from '@passman/testkit';
import { createApp, type AppDeps } from '../app.js';
import { deriveAuditKeys, type AuditKeys } from '../modules/audit/audit-key.js';
import { createLogger } from '../lib/logger.js';
import { createMetrics } from '../lib/metrics.js';
import { createPasswordHasher } from '../modules/auth/password-hasher.js';
import type { StreamLimits } from '../http/stream-limiter.js';
import { startJobEventHub } from '../modules/jobs/job-events.js';
import { createJobQueue } from '../modules/jobs/job-queue.js';
import type { JobWorker } from '../modules/jobs/worker/job-worker.js';
import { createServices, type ServiceOptions } from '../services.js';
import { startWorker } from '../worker.js';
import { randomClientIp } from './ids.js';
import type { TestApi } from './test-api.js';

export type { TestApi } from './test-api.js';

/** A vault with a random master key (or a sealed one), as PassMan would open it. */
export function testVault(options: { sealed?: boolean } = {}): Vault {
  if (options.sealed) return createVault({ keyRing: null, sealedReason: 'MASTER_KEY_MISSING' });
  const key = randomBytes(32);
  recordMasterKey(key); // for the run-wide secret-leak check at teardown
  return createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, key]]), activeVersion: 1 }) });
}

/**
 * The audit keys every test API of one run shares. PassMan derives them from its audit key,
 * stored wrapped under its master key (modules/audit/audit-key.ts; vault.test.ts goes that way).
 * Test files, though, each have a master key of their own yet share one database and so one
 * audit chain: keys of their own would make each call the others' rows forged. So jest's global
 * setup puts one random secret for the whole run in the environment, and every test API derives
 * the same keys from it — also a test API whose vault is sealed, so tests can still log in there
 * and show secret endpoints answering 503.
 */
export function testAuditKeys(): AuditKeys {
  const secret = process.env.PASSMAN_TEST_AUDIT_SECRET;
  if (!secret) throw new Error('PASSMAN_TEST_AUDIT_SECRET is not set: run tests with `npm test`');
  return deriveAuditKeys(Buffer.from(secret, 'base64'));
}

export async function createTestApi(
  options: {
    session?: { idleMs: number; maxAgeMs: number };
    vault?: Vault;
    /** A database of its own instead of the run's shared one. */
    databaseUrl?: string;
    /** The job queue (its workers take only its jobs): one of its own by default. */
    queue?: string;
    /** Express `trust proxy`; default true (clients differ by X-Forwarded-For). */
    trustProxy?: boolean;
    /** The clock of the step-up rule: a test moves it past the window instead of waiting. */
    stepUpNow?: () => Date;
    /** PASSMAN_TOKENS_CAN_CREATE_TOKENS; default true. */
    tokensCanCreateTokens?: boolean;
    streamLimits?: StreamLimits;
    metricsOn?: AppDeps['metricsOn'];
    /** Database connections of the API (PassMan's default is 10). */
    poolMax?: number;
    /** The audit keys: the run's shared ones by default; null as PassMan has none while sealed. */
    auditKeys?: AuditKeys | null;
    /** PASSMAN_AUDIT_ADOPT_UNKEYED_TRAIL for this start. */
    adoptUnkeyedTrail?: boolean;
    /** The clock of second factors (TOTP time steps, challenge expiry). */
    mfaClock?: () => Date;
    /** The WebAuthn relying party; default https://localhost:8080. */
    webauthn?: { rpId: string; rpName: string; origins: string[] };
    /** The audit stream's destinations its status route reports (none by default). */
    auditStreamDestinations?: ServiceOptions['auditStreamDestinations'];
  } = {},
): Promise<TestApi> {
  const url = options.databaseUrl ?? process.env.PASSMAN_TEST_DATABASE_URL;
  if (!url) throw new Error('PASSMAN_TEST_DATABASE_URL is not set: run tests with `npm test`');
  // Each test API has its own job queue: a worker of another test file (with another master
  // key) must never pick up this file's jobs.
  const queue = createJobQueue({ databaseUrl: url, name: options.queue ?? `test_${randomBytes(5).toString('hex')}` });
  const events = await startJobEventHub(url, { applicationName: `passman-job-events-${randomBytes(4).toString('hex')}` });
  const connector = createSshConnector({ readyTimeoutMs: 5_000, operationDeadlineMs: 15_000, authBackoffBaseMs: 50, authBackoffMaxMs: 200 });
  const vault = options.vault ?? testVault();
  const db = createPrismaClient(url, { max: options.poolMax ?? 4 });
  const logLines: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: new Writable({
      write(chunk: Buffer, _enc, done) {
        logLines.push(chunk.toString('utf8'));
        recordLogLine(chunk.toString('utf8'));
        done();
      },
    }),
  });
  const services = createServices({
    db,
    session: options.session ?? { idleMs: 30 * 60_000, maxAgeMs: 12 * 3_600_000 },
    cookieSecure: false,
    migrationNames: (await readMigrations()).map((m) => m.name),
    vault,
    auditKeys: options.auditKeys === undefined ? testAuditKeys() : options.auditKeys,
    logger,
    connector,
    queue,
    events,
    tokensCanCreateTokens: options.tokensCanCreateTokens ?? true,
    stepUpNow: options.stepUpNow,
    streamLimits: options.streamLimits,
    // Still argon2id, with cheaper parameters so factories stay fast.
    hasher: createPasswordHasher({ memoryCost: 4096, timeCost: 1 }),
    mfaClock: options.mfaClock,
    webauthn: options.webauthn,
    auditStreamDestinations: options.auditStreamDestinations,
  });
  await services.audit.initialize({ adoptUnkeyedTrail: options.adoptUnkeyedTrail });
  const app = createApp({
    logger,
    metrics: createMetrics(),
    auth: services.auth,
    health: services.health,
    bindings: services.bindings,
    version: 'test',
    // Tests give each simulated client its own X-Forwarded-For, so per-IP login throttles never collide.
    trustProxy: options.trustProxy ?? true,
    validateResponses: true,
    metricsOn: options.metricsOn,
  });
  const workers: JobWorker[] = [];
  return {
    app,
    db,
    services,
    logLines,
    databaseUrl: url,
    queue,
    events,
    connector,
    vault,
    request: () => supertest.agent(app).set('X-Forwarded-For', randomClientIp()),
    startWorker(workerOptions = {}) {
      const { faults, ...rest } = workerOptions;
      const worker = startWorker({
        db,
        vault,
        connector,
        queue,
        audit: services.audit,
        hostKeyTrust: services.hostKeyTrust,
        logger,
        options: { pollIntervalMs: 50, backoffBaseMs: 200, ...rest },
        faults,
      });
      workers.push(worker);
      return worker;
    },
    async close() {
      for (const worker of workers) await worker.stop();
      await events.stop();
      await db.$disconnect();
    },
  };
}

export { unique, randomClientIp, attackerIp } from './ids.js';
// Users, sessions and tokens are factories now; re-exported here, where tests have always found them.
export { createUser, loginAs, bearerFor, type TestUser, type LoggedIn } from './factories.js';

/** The test API served on a loopback port, for tests that need real sockets (source addresses, streams, aborts). */
export async function serveOnLoopback(api: TestApi): Promise<{ port: number; close(): void }> {
  const server = createServer(api.app).listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    port: (server.address() as AddressInfo).port,
    close() {
      server.closeAllConnections();
      server.close();
    },
  };
}
