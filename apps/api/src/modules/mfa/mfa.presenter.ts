import type { MfaFactor } from '@passman/contracts';
import type { MfaFactorRow } from './mfa.repo.js';

export function presentFactor(row: MfaFactorRow): MfaFactor {
  return {
    id: row.id,
    kind: row.kind === 'webauthn' ? 'webauthn' : 'totp',
    name: row.name,
    createdAt: row.createdAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
  };
}
