import { oidcRoutes } from '@passman/contracts';
import { parse, serialize } from 'cookie';
import type { Request, Response } from 'express';
import { bind } from '../../http/bind-routes.js';
import { setLoginChallengeCookie, setSessionCookie } from '../../http/session-cookie.js';
import { OidcLoginFailure } from './oidc-login-failure.js';
import { LOGIN_STATE_TTL_MS, type OidcLoginService } from './oidc-login.service.js';
import type { OidcSettingsService } from './oidc-settings.service.js';

/**
 * Binds this browser to the login it started. SameSite=Lax, not Strict: the provider's redirect
 * back is a cross-site top-level navigation, which carries Lax cookies only. Scoped to the
 * callback's path, HttpOnly, and it lives no longer than the login it names.
 */
export const OIDC_COOKIE = 'passman_oidc';
const COOKIE_PATH = '/api/v1/auth/oidc';

const readBrowserToken = (req: Request): string | undefined => (req.headers.cookie ? parse(req.headers.cookie)[OIDC_COOKIE] : undefined);

function setBrowserCookie(res: Response, value: string, secure: boolean, maxAgeSeconds: number): void {
  res.append('Set-Cookie', serialize(OIDC_COOKIE, value, { httpOnly: true, sameSite: 'lax', secure, path: COOKIE_PATH, maxAge: maxAgeSeconds }));
}

export function oidcBindings(deps: { login: OidcLoginService; settings: OidcSettingsService; cookieSecure: boolean }) {
  const failed = async (res: Response, error: unknown) => {
    if (!(error instanceof OidcLoginFailure)) throw error;
    res.redirect(302, `${await deps.login.consoleUrl()}/login?ssoError=${error.code}`);
  };
  return [
    bind(oidcRoutes.loginOptions, () => deps.login.loginOptions()),
    bind(oidcRoutes.login, async ({ ctx, res }) => {
      try {
        const { authorizationUrl, browserToken } = await deps.login.start(ctx);
        setBrowserCookie(res, browserToken, deps.cookieSecure, Math.floor(LOGIN_STATE_TTL_MS / 1000));
        res.redirect(302, authorizationUrl);
      } catch (error) {
        await failed(res, error);
      }
    }),
    bind(oidcRoutes.callback, async ({ query, ctx, req, res }) => {
      // Whatever happens next, this login is over: the browser's cookie goes.
      setBrowserCookie(res, '', deps.cookieSecure, 0);
      try {
        const result = await deps.login.finish(readBrowserToken(req), query, ctx);
        if (result.kind === 'second-factor') {
          const maxAgeSeconds = Math.max(1, Math.floor((Date.parse(result.challenge.expiresAt) - Date.now()) / 1000));
          setLoginChallengeCookie(res, result.challenge.challenge, { secure: deps.cookieSecure, maxAgeSeconds });
          res.redirect(302, `${await deps.login.consoleUrl()}/login?mfa=sso`);
          return;
        }
        setSessionCookie(res, result.sessionToken, { secure: deps.cookieSecure, maxAgeSeconds: Math.floor(result.maxAgeMs / 1000) });
        res.redirect(302, `${await deps.login.consoleUrl()}/`);
      } catch (error) {
        await failed(res, error);
      }
    }),
    bind(oidcRoutes.getSettings, () => deps.settings.get()),
    bind(oidcRoutes.putSettings, ({ body, ctx }) => deps.settings.put(body, ctx)),
    bind(oidcRoutes.testConnection, ({ body }) => deps.settings.testConnection(body.issuer, body.caCertificates ?? null)),
  ];
}
