// `npm run worker`: a job worker alone. Run as many as you like, on as many machines, with the
// same DATABASE_URL: they share one queue (the jobs table), each claims jobs under a lease, and
// account leases keep two from changing one account at once.
import {
  alertingOptions,
  auditStreamDestinations,
  auditStreamOptions,
  bootstrap,
  onShutdown,
  schedulerOptions,
  shutdownOptions,
  workerOptions,
} from './bootstrap.js';
import { createHostKeyTrust } from './modules/host-keys/index.js';
import { startAlerting, startAuditStreaming, startLdapSync, startScheduler, startWorker } from './worker.js';

const runtime = await bootstrap({ role: 'worker' });
const audit = runtime.audit;
// Its engine also evaluates each account whose job ended, with the same settings as the sweep.
const alerting = startAlerting({ db: runtime.db, vault: runtime.vault, logger: runtime.logger, ...alertingOptions(runtime.config) });
const worker = startWorker({
  db: runtime.db,
  vault: runtime.vault,
  connector: runtime.connector,
  queue: runtime.queue,
  audit,
  hostKeyTrust: createHostKeyTrust(runtime.auditKeys),
  logger: runtime.logger,
  options: workerOptions(runtime.config),
  alerts: alerting.engine,
});
const scheduler = startScheduler({
  db: runtime.db,
  vault: runtime.vault,
  queue: runtime.queue,
  audit,
  logger: runtime.logger,
  options: schedulerOptions(runtime.config),
});
const ldapSync = startLdapSync({ db: runtime.db, vault: runtime.vault, audit, logger: runtime.logger });
const auditStream = startAuditStreaming({
  db: runtime.db,
  logger: runtime.logger,
  destinations: auditStreamDestinations(runtime.config),
  options: auditStreamOptions(runtime.config),
});
runtime.logger.info({ concurrency: runtime.config.PASSMAN_WORKER_CONCURRENCY }, 'worker started');

onShutdown(
  runtime.logger,
  async () => {
    await scheduler.stop();
    await ldapSync.stop();
    await auditStream?.stop();
    await worker.stop();
    await alerting.stop();
  },
  { ...shutdownOptions(runtime.config), release: () => runtime.stop() },
);
