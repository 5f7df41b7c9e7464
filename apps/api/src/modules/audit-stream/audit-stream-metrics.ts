import { Gauge, type Registry } from 'prom-client';
import type { AuditStreamRepo } from './audit-stream.repo.js';

/**
 * `passman_audit_stream_backlog{destination}`: audit events not yet delivered, read from the
 * database at each scrape, so it is right whichever process sends; and the failures in a row.
 */
export function registerAuditStreamMetrics(registry: Registry, repo: Pick<AuditStreamRepo, 'backlog'>, destinations: string[]): void {
  if (destinations.length === 0) return;
  let pending: ReturnType<AuditStreamRepo['backlog']> | null = null;
  // Both gauges of one scrape share one query.
  const read = () => {
    pending ??= repo.backlog(destinations).finally(() => setImmediate(() => (pending = null)));
    return pending;
  };
  new Gauge({
    name: 'passman_audit_stream_backlog',
    help: 'Audit events not yet delivered to the destination (syslog or JSON lines)',
    labelNames: ['destination'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await read()) this.set({ destination: row.destination }, row.backlog);
    },
  });
  new Gauge({
    name: 'passman_audit_stream_failures',
    help: 'Failed deliveries in a row to the destination (0 while it takes events)',
    labelNames: ['destination'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await read()) this.set({ destination: row.destination }, row.failures);
    },
  });
}
