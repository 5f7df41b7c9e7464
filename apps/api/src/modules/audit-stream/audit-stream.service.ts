import type { AuditStreamStatus } from '@passman/contracts';
import { presentStreamDestination } from './audit-stream.presenter.js';
import type { AuditStreamRepo } from './audit-stream.repo.js';
import type { StreamDestination } from './audit-stream.sender.js';

/** The configured destinations of the audit stream and how far each has got (for auditors and the console). */
export function createAuditStreamService(deps: {
  repo: Pick<AuditStreamRepo, 'backlog'>;
  destinations: Pick<StreamDestination, 'name' | 'kind' | 'target'>[];
}) {
  return {
    async status(): Promise<AuditStreamStatus> {
      const rows = await deps.repo.backlog(deps.destinations.map((d) => d.name));
      return { destinations: deps.destinations.map((d) => presentStreamDestination(d, rows.find((r) => r.destination === d.name) ?? null)) };
    },
  };
}

export type AuditStreamService = ReturnType<typeof createAuditStreamService>;
