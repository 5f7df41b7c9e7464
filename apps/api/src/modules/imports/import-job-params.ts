import type { ImportMapping, Permission, RoleName } from '@passman/contracts';
import type { Actor, RequestContext } from '../../lib/actor.js';

/** Who asked for an import, as its job keeps it (`jobs.params`): no session, no secret. */
export interface RequesterSnapshot {
  kind: Actor['kind'];
  userId: string;
  username: string;
  displayName: string;
  role: RoleName;
  permissions: Permission[];
  tokenId?: string;
}

/** An IMPORT job's parameters: its import, and the request that started it (the run acts and is audited as that request). */
export interface ImportJobParams {
  importId: string;
  /** The file's columns as the request mapped them. */
  mapping: ImportMapping;
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  actor: RequesterSnapshot | null;
}

export function requesterSnapshot(ctx: RequestContext): RequesterSnapshot | null {
  const a = ctx.actor;
  if (!a) return null;
  return {
    kind: a.kind,
    userId: a.userId,
    username: a.username,
    displayName: a.displayName,
    role: a.role,
    permissions: [...a.permissions],
    ...(a.tokenId ? { tokenId: a.tokenId } : {}),
  };
}

/**
 * The request context a run acts in: the requester's, with the rights they hold now — their
 * role's permissions today, never more than the request had (a token's scopes still narrow them).
 */
export function runContext(params: ImportJobParams, now: { role: string; permissions: string[] } | null): RequestContext {
  const base = { requestId: params.requestId, ip: params.ip, userAgent: params.userAgent };
  if (!params.actor || !now) return { ...base, actor: null };
  const current = new Set(now.permissions);
  return {
    ...base,
    actor: {
      kind: params.actor.kind,
      userId: params.actor.userId,
      username: params.actor.username,
      displayName: params.actor.displayName,
      role: now.role as RoleName,
      permissions: new Set(params.actor.permissions.filter((p) => current.has(p))),
      ...(params.actor.tokenId ? { tokenId: params.actor.tokenId } : {}),
    },
  };
}
