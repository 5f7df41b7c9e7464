import type { ApiToken, Permission, TokenRevocationReason } from '@passman/contracts';
import type { TokenRow } from './tokens.repo.js';

/** Every column but the hash: the secret itself is never stored. */
export function presentToken(row: TokenRow): ApiToken {
  return {
    id: row.id,
    name: row.name,
    prefix: row.prefix,
    scopes: row.scopes as Permission[],
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastUsedAt: row.lastUsedAt?.toISOString() ?? null,
    lastUsedIp: row.lastUsedIp,
    revokedAt: row.revokedAt?.toISOString() ?? null,
    revokedReason: row.revokedAt ? ((row.revokedReason ?? 'owner') as TokenRevocationReason) : null,
  };
}
