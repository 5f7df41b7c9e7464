import { authRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import { clearSessionCookie, setSessionCookie } from '../../http/session-cookie.js';
import { presentCurrentUser, type AuthService, type SessionPolicy } from './auth.service.js';

export function authBindings(deps: { auth: AuthService; cookieSecure: boolean; session: SessionPolicy }) {
  const cookie = { secure: deps.cookieSecure };
  return [
    bind(authRoutes.login, async ({ body, ctx, res }) => {
      const result = await deps.auth.login(body.username, body.password, ctx);
      if ('challenge' in result) return result.challenge;
      const { actor, sessionToken, maxAgeMs } = result;
      setSessionCookie(res, sessionToken, { ...cookie, maxAgeSeconds: Math.floor(maxAgeMs / 1000) });
      return { user: presentCurrentUser(actor), csrfToken: actor.csrfToken ?? null };
    }),
    bind(authRoutes.logout, async ({ ctx, res }) => {
      await deps.auth.logout(ctx);
      clearSessionCookie(res, cookie);
    }),
    bind(authRoutes.me, async ({ actor }) => ({ user: presentCurrentUser(actor), csrfToken: actor.csrfToken ?? null })),
  ];
}
