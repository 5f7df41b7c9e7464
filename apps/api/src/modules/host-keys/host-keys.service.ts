import { isConnectorError, type TargetConnector } from '@passman/connectors';
import { AppError, notFound } from '../../lib/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../auth/actor.js';
import type { HostKeysRepo } from './host-keys.repo.js';

/** "Trust no host key you were not told to": keys are scanned (PENDING), then approved by a person. */
export function createHostKeysService(deps: { repo: HostKeysRepo; connector: TargetConnector; audit: AuditService }) {
  return {
    async scan(ctx: RequestContext, targetId: string) {
      const target = await deps.repo.getTarget(targetId);
      if (!target) throw notFound('Target');
      let offered;
      try {
        offered = await deps.connector.scanHostKey({ host: target.address, port: target.port });
      } catch (error) {
        if (isConnectorError(error)) {
          throw new AppError('UNPROCESSABLE', `Could not read the host key of ${target.name}: ${error.message}`, { details: { reason: error.code } });
        }
        throw error;
      }
      const row = await deps.repo.transaction(async (repo, tx) => {
        const saved = await repo.recordOffered(targetId, offered);
        await deps.audit.record(ctx, { action: 'target.host_key.scan', objectType: 'target', objectId: targetId, details: { fingerprint: saved.fingerprint, status: saved.status } }, tx);
        return saved;
      });
      return { algorithm: row.algorithm, fingerprint: row.fingerprint, status: row.status };
    },

    async approve(ctx: RequestContext, targetId: string, fingerprint: string) {
      if (!(await deps.repo.getTarget(targetId))) throw notFound('Target');
      await deps.repo.transaction(async (repo, tx) => {
        const key = await repo.find(targetId, fingerprint);
        if (!key) throw new AppError('CONFLICT', 'The target has not offered that key: scan it first, then approve the fingerprint you verified');
        await repo.approve(key.id, ctx.actor?.userId ?? null);
        await repo.revokeOthers(targetId, key.id);
        await deps.audit.record(ctx, { action: 'target.host_key.approve', objectType: 'target', objectId: targetId, details: { fingerprint, algorithm: key.algorithm } }, tx);
      });
      return { fingerprint, status: 'APPROVED' as const };
    },
  };
}

export type HostKeysService = ReturnType<typeof createHostKeysService>;
