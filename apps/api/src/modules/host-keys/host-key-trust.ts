import { createHmac } from 'node:crypto';
import { AppError } from '../../lib/app-error.js';
import { canonicalJson } from '../../lib/canonical-json.js';
import { safeEqual } from '../../lib/safe-equal.js';
import type { AuditKeys } from '../audit/audit-key.js';

/** What an approval vouches for: this key, for this target, at this address and port. */
export interface HostKeyApproval {
  targetId: string;
  fingerprint: string;
  address: string;
  port: number;
}

export interface HostKeyTrust {
  /** The signature stored with an approval. Throws SEALED without the key. */
  sign(approval: HostKeyApproval): string;
  /** Whether a stored signature vouches for this approval (false without the key). */
  verifies(approval: HostKeyApproval, mac: string | null): boolean;
}

/**
 * Host-key approvals are signed with a key only the master key opens (audit-key.ts), over the
 * target, the fingerprint and the address and port approved. A row marked APPROVED by someone
 * with database access alone, or a target whose address was changed in the database, carries no
 * valid signature, and no job trusts it.
 */
export function createHostKeyTrust(keys: AuditKeys | null): HostKeyTrust {
  const mac = (key: Buffer, a: HostKeyApproval) =>
    createHmac('sha256', key)
      .update(canonicalJson({ v: 1, targetId: a.targetId, fingerprint: a.fingerprint, address: a.address, port: a.port }))
      .digest('hex');
  return {
    sign(approval) {
      if (!keys) throw new AppError('SEALED', 'PassMan is sealed: a host key cannot be approved without the master key');
      return mac(keys.hostKeyApprovalKey, approval);
    },
    verifies(approval, stored) {
      if (!keys || !stored) return false;
      return safeEqual(mac(keys.hostKeyApprovalKey, approval), stored);
    },
  };
}
