import { createHash, randomBytes } from 'node:crypto';

/** 256 random bits, URL-safe. Used for session cookies and API tokens. */
export function randomToken(prefix = ''): string {
  return prefix + randomBytes(32).toString('base64url');
}

/** Only this hash of a session or API token is stored. */
export function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/**
 * The CSRF token of a session is derived from its (HttpOnly) cookie token, so the server
 * stores nothing more and the SPA can fetch it again after a reload (GET /auth/me).
 */
export function csrfTokenFor(sessionToken: string): string {
  return createHash('sha256').update(`passman-csrf:${sessionToken}`).digest('base64url');
}
