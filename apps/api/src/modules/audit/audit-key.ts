import { hkdfSync, randomBytes } from 'node:crypto';
import { decodeSealedText, encodeSealedText, type EnvelopeContext, type Vault } from '@passman/vault';
import type { SettingsRepo } from '../vault/settings.repo.js';

/**
 * The audit key: 32 random bytes made on the first unsealed start, kept in `system_settings`
 * only wrapped under the vault's master key (the envelope a credential's secret gets), and
 * re-wrapped by `npm run vault:rewrap` with the data keys. The chain's HMAC key, the key of
 * the head and checkpoints, and the key that signs host-key approvals are derived from it, so
 * someone with the database alone sees only ciphertext and can neither forge a row, re-sign a
 * head nor approve a host key.
 */
export const AUDIT_KEY_SETTING = 'audit.key';

/** The envelope context the audit key is sealed under (a ciphertext copied elsewhere does not open). */
export const AUDIT_KEY_CONTEXT: EnvelopeContext = { credentialId: 'passman-audit-key', version: 1, purpose: 'audit-key' };

const AUDIT_KEY_BYTES = 32;

export interface AuditKeys {
  /** HMAC key of the rows' hashes. */
  chainKey: Buffer;
  /** HMAC key of the head and the checkpoints. */
  checkpointKey: Buffer;
  /** HMAC key of host-key approvals (modules/host-keys/host-key-trust.ts). */
  hostKeyApprovalKey: Buffer;
}

/** The keys derived from the audit key, with HKDF-SHA256 (one `info` each, so none says anything about another). */
export function deriveAuditKeys(auditKey: Buffer): AuditKeys {
  const derive = (info: string) => Buffer.from(hkdfSync('sha256', auditKey, Buffer.alloc(0), info, 32));
  return {
    chainKey: derive('passman audit chain v1'),
    checkpointKey: derive('passman audit checkpoint v1'),
    hostKeyApprovalKey: derive('passman host-key approval v1'),
  };
}

/**
 * The audit keys of this installation: unwrapped from the setting, or made and stored (wrapped)
 * when there is none yet. Null while the vault is sealed: then nothing can be audited, so every
 * audited action fails closed (audit.service.ts).
 */
export async function openAuditKeys(deps: { vault: Vault; settings: SettingsRepo }): Promise<AuditKeys | null> {
  if (deps.vault.sealed) return null;
  let stored = await deps.settings.get(AUDIT_KEY_SETTING);
  if (!stored) {
    const fresh = randomBytes(AUDIT_KEY_BYTES);
    try {
      // Another process starting at the same moment may have stored its own first: use whichever is stored.
      stored = await deps.settings.putIfAbsent(AUDIT_KEY_SETTING, encodeSealedText(deps.vault.encrypt(fresh, AUDIT_KEY_CONTEXT)));
    } finally {
      fresh.fill(0);
    }
  }
  const auditKey = deps.vault.decrypt(decodeSealedText(stored), AUDIT_KEY_CONTEXT);
  try {
    return deriveAuditKeys(auditKey);
  } finally {
    auditKey.fill(0);
  }
}

/** Re-wraps the stored audit key under the active master key (master key rotation); true when it changed. */
export async function rewrapAuditKey(deps: { vault: Vault; settings: SettingsRepo }): Promise<boolean> {
  const stored = await deps.settings.get(AUDIT_KEY_SETTING);
  if (!stored) return false;
  const record = decodeSealedText(stored);
  if (!deps.vault.needsRewrap(record)) return false;
  return deps.settings.replace(AUDIT_KEY_SETTING, stored, encodeSealedText(deps.vault.rewrap(record, AUDIT_KEY_CONTEXT)));
}
