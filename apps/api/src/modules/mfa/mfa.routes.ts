import { loginMfaRoutes, mfaRoutes, userMfaRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import { setSessionCookie } from '../../http/session-cookie.js';
import { presentCurrentUser } from '../auth/auth.service.js';
import type { MfaService } from './mfa.service.js';
import type { SecondFactorService } from './second-factor.service.js';

export function mfaBindings(deps: { mfa: MfaService; secondFactor: SecondFactorService; cookieSecure: boolean }) {
  return [
    bind(loginMfaRoutes.webauthnOptions, ({ body }) => deps.secondFactor.loginWebAuthnOptions(body.challenge)),
    bind(loginMfaRoutes.secondFactor, async ({ body, ctx, res }) => {
      const { challenge, ...proof } = body;
      const { actor, sessionToken, maxAgeMs } = await deps.secondFactor.completeLogin(challenge, proof, ctx);
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
