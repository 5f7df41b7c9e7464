import { randomBytes } from 'node:crypto';
import type { TestApi } from '../test-api.js';
import { createHostKeysRepo } from '../../modules/host-keys/host-keys.repo.js';
import { factoryContext } from './context.js';
import { createTarget } from './target.js';

export interface HostKeyOverrides {
  algorithm?: string;
  fingerprint?: string;
  publicKey?: string;
  /** Approve it as an operator would (signed approval; other keys of the target are revoked). */
  approved?: boolean;
}

/**
 * A host key the target offered at its address, recorded by the host-keys repo as a scan records
 * it (PENDING), then approved by the host-keys service when asked. Returns the row.
 */
export async function createHostKey(api: TestApi, targetId?: string, overrides: HostKeyOverrides = {}) {
  const id = targetId ?? (await createTarget(api)).id;
  const target = await api.db.target.findUniqueOrThrow({ where: { id } });
  const fingerprint = overrides.fingerprint ?? `SHA256:${randomBytes(32).toString('base64').replace(/=+$/, '')}`;
  const key = {
    algorithm: overrides.algorithm ?? 'ssh-ed25519',
    fingerprint,
    publicKey: overrides.publicKey ?? `ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAI${randomBytes(24).toString('base64')}`,
  };
  const repo = createHostKeysRepo(api.db);
  await repo.recordOffered(id, key, { address: target.address, port: target.port });
  if (overrides.approved) await api.services.hostKeys.approve(factoryContext(), id, fingerprint);
  return api.db.targetHostKey.findUniqueOrThrow({ where: { targetId_fingerprint: { targetId: id, fingerprint } } });
}
