import type { TargetConnector } from '@passman/connectors';
import type { Database } from '@passman/db';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import type { AuditService } from './modules/audit/index.js';
import { createHostKeysRepo, type HostKeyTrust } from './modules/host-keys/index.js';
import {
  createFaultInjector,
  createJobWorker,
  createQueueRepo,
  createWorkerRepo,
  DEFAULT_WORKER_OPTIONS,
  type FaultInjector,
  type JobQueue,
  type JobWorker,
  type JobWorkerOptions,
} from './modules/jobs/index.js';
import { createComplianceRepo, createComplianceService } from './modules/compliance/index.js';
import { createImportRunner, createImportsRepo } from './modules/imports/index.js';
import { createPoliciesRepo, createPoliciesService, type PoliciesService } from './modules/policies/index.js';
import { createAccessRepo, createAccessService, type AccessService } from './modules/access/index.js';
import { createScheduler, type Scheduler, type SchedulerOptions } from './modules/schedule/index.js';
import { createLdapRepo, createLdapService, type LdapSync } from './modules/ldap/index.js';
import { createAuditStreamRepo, startAuditStream, type AuditStream, type AuditStreamOptions, type StreamDestination } from './modules/audit-stream/index.js';
import { createAlertEngine, createAlertsRepo, DEFAULT_ALERT_ENGINE_OPTIONS, type AlertEngine, type AlertEngineOptions } from './modules/alerts/index.js';
import {
  createWebhookDispatcher,
  createWebhooksRepo,
  DEFAULT_WEBHOOK_DISPATCHER_OPTIONS,
  DEFAULT_WEBHOOK_URL_POLICY,
  type WebhookDispatcher,
  type WebhookDispatcherOptions,
  type WebhookUrlPolicy,
} from './modules/webhooks/index.js';

/** The job worker: inside `npm start` by default, alone with `npm run worker`. */
export function startWorker(deps: {
  db: Database;
  vault: Vault;
  connector: TargetConnector;
  queue: JobQueue;
  audit: AuditService;
  hostKeyTrust: HostKeyTrust;
  logger: Logger;
  options?: Partial<JobWorkerOptions>;
  faults?: FaultInjector;
  /** Evaluates the alerts of each account whose job ended; by default an engine of the worker's own. */
  alerts?: Pick<AlertEngine, 'jobEnded'>;
}): JobWorker {
  const alerts = deps.alerts ?? alertEngineOf(deps.db, deps.logger);
  const faults = deps.faults ?? createFaultInjector();
  const access = createAccessService({ repo: createAccessRepo(deps.db) });
  const imports = createImportRunner({
    repo: createImportsRepo(deps.db),
    vault: deps.vault,
    access,
    audit: deps.audit,
    policies: policiesOf(deps.db, deps.vault, deps.audit, access),
    logger: deps.logger,
    faults,
  });
  const worker = createJobWorker(
    {
      repo: createWorkerRepo(deps.db),
      queueRepo: createQueueRepo(deps.db),
      hostKeys: createHostKeysRepo(deps.db),
      vault: deps.vault,
      connector: deps.connector,
      queue: deps.queue,
      audit: deps.audit,
      hostKeyTrust: deps.hostKeyTrust,
      logger: deps.logger,
      faults,
      onEnded: (end) => alerts.jobEnded(end),
      imports,
    },
    { ...DEFAULT_WORKER_OPTIONS, ...deps.options },
  );
  worker.start();
  return worker;
}

/** Timed checks and rotation: started with each worker process (they never schedule the same work twice). */
export function startScheduler(deps: {
  db: Database;
  vault: Vault;
  queue: JobQueue;
  audit: AuditService;
  logger: Logger;
  options: SchedulerOptions;
  policies?: PoliciesService;
}): Scheduler {
  // `npm run worker` has no API services: it makes its own.
  const policies = deps.policies ?? policiesOf(deps.db, deps.vault, deps.audit, createAccessService({ repo: createAccessRepo(deps.db) }));
  const scheduler = createScheduler({ ...deps, policies }, deps.options);
  scheduler.start();
  return scheduler;
}

/**
 * The periodic LDAP directory sync (its interval is an admin setting; every process ticks, the
 * one that claims the due run does it). `npm start` passes its own service, whose session cache
 * then forgets the sessions a sync ends.
 */
export function startLdapSync(deps: { db: Database; vault: Vault; audit: AuditService; logger: Logger; sync?: LdapSync }): LdapSync {
  const sync = deps.sync ?? createLdapService({ repo: createLdapRepo(deps.db), vault: deps.vault, audit: deps.audit, logger: deps.logger }).sync;
  sync.start();
  return sync;
}

/**
 * Audit streaming to a SIEM: the sender loop, with each worker process (a lease per destination
 * lets one of them send at a time). Nothing to do when no destination is configured.
 */
export function startAuditStreaming(deps: {
  db: Database;
  logger: Logger;
  destinations: StreamDestination[];
  options: AuditStreamOptions;
}): AuditStream | undefined {
  if (deps.destinations.length === 0) return undefined;
  return startAuditStream({ repo: createAuditStreamRepo(deps.db), destinations: deps.destinations, logger: deps.logger }, deps.options);
}

/** The policies service of a worker process, which has no API services. */
function policiesOf(db: Database, vault: Vault, audit: AuditService, access: AccessService): PoliciesService {
  const compliance = createComplianceService({ repo: createComplianceRepo(db), vault });
  return createPoliciesService({ repo: createPoliciesRepo(db), audit, compliance, access });
}

function alertEngineOf(db: Database, logger: Logger, options?: AlertEngineOptions): AlertEngine {
  return createAlertEngine({ repo: createAlertsRepo(db), webhooks: createWebhooksRepo(db), logger }, options ?? DEFAULT_ALERT_ENGINE_OPTIONS);
}

/**
 * Alerting in a worker process: the periodic sweep of every rule (the time-based ones have no
 * event; it also heals anything an event missed) and the webhook dispatcher sending the outbox.
 * Every worker process runs both; the outbox's claims keep two from sending one delivery.
 */
export function startAlerting(deps: {
  db: Database;
  vault: Vault;
  logger: Logger;
  engine?: Partial<AlertEngineOptions>;
  dispatcher?: Partial<WebhookDispatcherOptions>;
  policy?: WebhookUrlPolicy;
}): { engine: AlertEngine; dispatcher: WebhookDispatcher; stop(): Promise<void> } {
  const engine = alertEngineOf(deps.db, deps.logger, { ...DEFAULT_ALERT_ENGINE_OPTIONS, ...deps.engine });
  const dispatcher = createWebhookDispatcher(
    { repo: createWebhooksRepo(deps.db), vault: deps.vault, logger: deps.logger, policy: deps.policy ?? DEFAULT_WEBHOOK_URL_POLICY },
    { ...DEFAULT_WEBHOOK_DISPATCHER_OPTIONS, ...deps.dispatcher },
  );
  engine.start();
  dispatcher.start();
  return {
    engine,
    dispatcher,
    async stop() {
      await engine.stop();
      await dispatcher.stop();
    },
  };
}
