import type { RequestHandler } from 'express';
import { AppError } from '../lib/app-error.js';
import type { AuthService } from '../modules/auth/index.js';
import { readSessionCookie } from './session-cookie.js';

const BEARER = /^Bearer ([A-Za-z0-9._~+/-]+=*)$/;

/**
 * Resolves the actor from `Authorization: Bearer` or the session cookie. Never rejects by
 * itself: each route decides (see bind-routes.ts). A malformed Authorization header is a 401.
 */
export function authenticate(auth: AuthService): RequestHandler {
  return async (req, _res, next) => {
    const header = req.get('authorization');
    if (header) {
      const match = BEARER.exec(header);
      if (!match?.[1]) throw new AppError('UNAUTHENTICATED', 'Authorization header must be "Bearer <token>"');
      req.ctx.actor = await auth.authenticateToken(match[1], req.ctx.ip);
      if (!req.ctx.actor) throw new AppError('UNAUTHENTICATED', 'The API token is unknown, expired or revoked');
    } else {
      const token = readSessionCookie(req);
      if (token) req.ctx.actor = await auth.authenticateSession(token, req.ctx.ip);
    }
    next();
  };
}
