import { CREDENTIAL_SECRET_PURPOSE, type Vault } from '@passman/vault';
import type { DbClient } from '../../db/transaction.js';
import { rewrapAuditKey } from '../audit/audit-key.js';
import type { AuditService } from '../audit/audit.service.js';
import { systemContext } from '../auth/actor.js';
import { createSettingsRepo } from './settings.repo.js';

/**
 * Re-wraps every data key still under an older master key with the active one, a batch
 * at a time; each row is its own update (guarded by its old key version), so PassMan keeps
 * serving while it runs and a second run only finishes what is left. The audit key (stored
 * wrapped the same way) too.
 */
export async function rewrapAll(deps: { db: DbClient; vault: Vault; audit: AuditService; batchSize?: number }): Promise<{ rewrapped: number; auditKey: boolean }> {
  const active = deps.vault.activeKeyVersion;
  if (active === undefined) throw new Error('the vault is sealed: set the master keys first');
  let rewrapped = 0;
  for (;;) {
    const rows = await deps.db.credentialVersion.findMany({
      where: { keyVersion: { not: active } },
      select: { id: true, credentialId: true, version: true, ciphertext: true, wrappedKey: true, keyVersion: true },
      take: deps.batchSize ?? 200,
    });
    if (rows.length === 0) break;
    for (const row of rows) {
      const next = deps.vault.rewrap(row, { credentialId: row.credentialId, version: row.version, purpose: CREDENTIAL_SECRET_PURPOSE });
      const { count } = await deps.db.credentialVersion.updateMany({
        where: { id: row.id, keyVersion: row.keyVersion },
        data: { wrappedKey: next.wrappedKey, keyVersion: next.keyVersion },
      });
      rewrapped += count;
    }
  }
  const auditKey = await rewrapAuditKey({ vault: deps.vault, settings: createSettingsRepo(deps.db) });
  await deps.audit.record(systemContext('vault-rewrap'), { action: 'vault.rewrap', objectType: 'vault', details: { rewrapped, auditKey, activeKeyVersion: active } });
  return { rewrapped, auditKey };
}
