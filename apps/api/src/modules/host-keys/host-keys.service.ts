import { isConnectorError, type TargetConnector } from '@passman/connectors';
import { AppError, notFound } from '../../lib/app-error.js';
import type { AuditService } from '../audit/audit.service.js';
import type { RequestContext } from '../../lib/actor.js';
import type { HostKeyTrust } from './host-key-trust.js';
import type { HostKeysRepo } from './host-keys.repo.js';
import type { AccessService } from '../access/index.js';

/**
 * "Trust no host key you were not told to": keys are scanned (PENDING), then approved by a
 * person holding `targets.trust`. A key is approved for the address and port it was seen at,
 * and the approval is signed (host-key-trust.ts): a target moved elsewhere trusts nothing until
 * a key offered there is approved.
 */
export function createHostKeysService(deps: {
  repo: HostKeysRepo;
  connector: TargetConnector;
  audit: AuditService;
  trust: HostKeyTrust;
  access: AccessService;
}) {
  return {
    /** Scanning and approving vouch for the host credentials go to: they need manage on the target. */
    async scan(ctx: RequestContext, targetId: string) {
      await deps.access.require(ctx, { type: 'target', id: targetId }, 'manage');
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
        // The host took its time: the target may have been deleted meanwhile (locked, so not from here on).
        if (!(await repo.lockTarget(targetId))) throw notFound('Target');
        // Where it was offered is where PassMan dialled, even if the address has changed since.
        const saved = await repo.recordOffered(targetId, offered, { address: target.address, port: target.port });
        await deps.audit.record(
          ctx,
          {
            action: 'target.host_key.scan',
            objectType: 'target',
            objectId: targetId,
            details: { fingerprint: saved.fingerprint, status: saved.status, address: target.address, port: target.port },
          },
          tx,
        );
        return saved;
      });
      return { algorithm: row.algorithm, fingerprint: row.fingerprint, status: row.status };
    },

    async approve(ctx: RequestContext, targetId: string, fingerprint: string) {
      await deps.access.require(ctx, { type: 'target', id: targetId }, 'manage', { routePermission: true });
      return deps.repo.transaction(async (repo, tx) => {
        // Locked first: an address change cannot slip in between the check below and the approval.
        const target = await repo.lockTarget(targetId);
        if (!target) throw notFound('Target');
        const key = await repo.find(targetId, fingerprint);
        if (!key) throw new AppError('CONFLICT', 'The target has not offered that key: scan it first, then approve the fingerprint you verified');
        if (key.seenAddress !== target.address || key.seenPort !== target.port) {
          const seen = key.seenAddress === null ? 'at an address PassMan did not record' : `at ${key.seenAddress}:${key.seenPort}`;
          throw new AppError(
            'CONFLICT',
            `That key was offered ${seen}, not at the target's address ${target.address}:${target.port}: scan the target again, then approve`,
            {
              details: { reason: 'HOST_KEY_SEEN_ELSEWHERE' },
            },
          );
        }
        const previousFingerprints = (await repo.trustedBefore(targetId)).filter((f) => f !== fingerprint);
        const approvalMac = deps.trust.sign({ targetId, fingerprint, address: target.address, port: target.port });
        await repo.approve(key.id, ctx.actor?.userId ?? null, approvalMac);
        await repo.revokeOthers(targetId, key.id);
        await deps.audit.record(
          ctx,
          {
            action: 'target.host_key.approve',
            objectType: 'target',
            objectId: targetId,
            details: { fingerprint, algorithm: key.algorithm, address: target.address, port: target.port, previousFingerprints },
          },
          tx,
        );
        return { fingerprint, status: 'APPROVED' as const, previousFingerprints };
      });
    },
  };
}

export type HostKeysService = ReturnType<typeof createHostKeysService>;
