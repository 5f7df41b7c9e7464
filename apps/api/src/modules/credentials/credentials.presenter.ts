import type { Credential, CredentialVersion } from '@passman/contracts';
import { isWeakSshKey } from '@passman/vault';
import { sshKeyTypeFromDb } from '../../lib/ssh-key-type.js';
import type { CredentialRow, CredentialVersionRow } from './credentials.repo.js';

/** Metadata only: the ciphertext columns of a version never leave this mapping. */
export function presentVersion(row: CredentialVersionRow, usernames: Map<string, string>): CredentialVersion {
  const creator = row.createdById ? usernames.get(row.createdById) : undefined;
  return {
    id: row.id,
    credentialId: row.credentialId,
    version: row.version,
    state: row.state,
    origin: row.origin,
    publicKey: row.publicKey,
    fingerprint: row.fingerprint,
    keyBits: row.keyBits,
    compliant: row.compliant,
    restoredFrom: row.restoredFrom,
    createdBy: row.createdById && creator ? { id: row.createdById, username: creator } : null,
    createdAt: row.createdAt.toISOString(),
    stateChangedAt: row.stateChangedAt.toISOString(),
  };
}

export function presentCredential(row: CredentialRow, usernames: Map<string, string>): Credential {
  const current = row.versions[0];
  const sshKeyType = row.sshKeyType ? sshKeyTypeFromDb(row.sshKeyType) : null;
  return {
    id: row.id,
    accountId: row.accountId,
    type: row.type,
    sshKeyType,
    weak: sshKeyType ? isWeakSshKey(sshKeyType, current?.keyBits ?? 0) : false,
    current: current ? presentVersion(current, usernames) : null,
    lastCheck: row.lastCheckedAt && row.lastCheckOk !== null ? { ok: row.lastCheckOk, code: row.lastCheckCode, at: row.lastCheckedAt.toISOString() } : null,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export const creatorIds = (rows: { createdById: string | null }[]) => [...new Set(rows.flatMap((r) => (r.createdById ? [r.createdById] : [])))];
