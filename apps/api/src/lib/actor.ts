import type { Permission, RoleName } from '@passman/contracts';

/** Who is making a request: a logged-in operator (session) or an integrator (API token). */
export interface Actor {
  kind: 'session' | 'token';
  userId: string;
  username: string;
  displayName: string;
  role: RoleName;
  /** Effective permissions: the role's, narrowed to the token's scopes for tokens. */
  permissions: ReadonlySet<Permission>;
  sessionId?: string;
  tokenId?: string;
  /** For tokens: when the token expires (a token it creates may not outlive it). */
  tokenExpiresAt?: Date;
  /** For sessions: the CSRF token unsafe methods must echo in X-CSRF-Token. */
  csrfToken?: string;
  /** For sessions: the MFA policy requires enrolling a second factor before anything else. */
  mfaEnrolmentRequired?: boolean;
}

/** What an audit event and a log line know about the request. */
export interface RequestContext {
  requestId: string;
  ip: string | null;
  userAgent: string | null;
  actor: Actor | null;
}

export const systemContext = (requestId: string): RequestContext => ({ requestId, ip: null, userAgent: null, actor: null });
