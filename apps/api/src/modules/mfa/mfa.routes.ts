import { loginMfaRoutes, mfaRoutes, userMfaRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import { clearLoginChallengeCookie, readLoginChallengeCookie, setSessionCookie } from '../../http/session-cookie.js';
import { presentCurrentUser } from '../auth/auth.service.js';
import type { MfaService } from './mfa.service.js';
import type { SecondFactorService } from './second-factor.service.js';

export function mfaBindings(deps: { mfa: MfaService; secondFactor: SecondFactorService; cookieSecure: boolean }) {
  return [
    // A challenge in the body is the password step's; none, the cookie single sign-on left.
    bind(loginMfaRoutes.pending, ({ req }) => deps.secondFactor.pendingLogin(readLoginChallengeCookie(req))),
    bind(loginMfaRoutes.webauthnOptions, ({ body, req }) => deps.secondFactor.loginWebAuthnOptions(body.challenge ?? readLoginChallengeCookie(req))),
    bind(loginMfaRoutes.secondFactor, async ({ body, ctx, req, res }) => {
      const { challenge, ...proof } = body;
      const fromCookie = challenge === undefined;
      const { actor, sessionToken, maxAgeMs } = await deps.secondFactor.completeLogin(challenge ?? readLoginChallengeCookie(req), proof, ctx);
      if (fromCookie) clearLoginChallengeCookie(res, { secure: deps.cookieSecure });
      setSessionCookie(res, sessionToken, { secure: deps.cookieSecure, maxAgeSeconds: Math.floor(maxAgeMs / 1000) });
      return { user: presentCurrentUser(actor), csrfToken: actor.csrfToken ?? null };
    }),
    bind(mfaRoutes.status, ({ ctx }) => deps.mfa.status(ctx)),
    bind(mfaRoutes.startTotp, ({ ctx, body }) => deps.mfa.startTotp(ctx, body.name)),
    bind(mfaRoutes.confirmTotp, ({ ctx, params, body }) => deps.mfa.confirmTotp(ctx, params.id, body.code)),
    bind(mfaRoutes.webauthnRegistrationOptions, ({ ctx }) => deps.mfa.webAuthnRegistrationOptions(ctx)),
    bind(mfaRoutes.registerWebauthn, ({ ctx, body }) => deps.mfa.registerWebAuthn(ctx, body)),
    bind(mfaRoutes.renameFactor, ({ ctx, params, body }) => deps.mfa.rename(ctx, params.id, body.name)),
    bind(mfaRoutes.removeFactor, ({ ctx, params }) => deps.mfa.remove(ctx, params.id)),
    bind(mfaRoutes.regenerateRecoveryCodes, ({ ctx }) => deps.mfa.regenerateRecoveryCodes(ctx)),
    bind(mfaRoutes.getPolicy, () => deps.mfa.getPolicy()),
    bind(mfaRoutes.setPolicy, ({ ctx, body }) => deps.mfa.setPolicy(ctx, body)),
    bind(userMfaRoutes.get, ({ params }) => deps.mfa.userMfa(params.id)),
    bind(userMfaRoutes.reset, ({ ctx, params }) => deps.mfa.reset(ctx, params.id)),
  ];
}
