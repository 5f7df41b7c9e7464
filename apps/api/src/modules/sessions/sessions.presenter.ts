import type { SessionInfo } from '@passman/contracts';
import type { SessionRow } from './sessions.repo.js';

export function presentSession(row: SessionRow, currentSessionId: string | undefined): SessionInfo {
  return {
    id: row.id,
    createdAt: row.createdAt.toISOString(),
    expiresAt: row.expiresAt.toISOString(),
    lastSeenAt: row.lastSeenAt.toISOString(),
    loginIp: row.ip,
    lastSeenIp: row.lastSeenIp,
    userAgent: row.userAgent,
    current: row.id === currentSessionId,
  };
}
