import { asSingleLineText, OIDC_LOGIN_PATH, type LoginOptions, type MfaLoginChallenge } from '@passman/contracts';
import { PERMISSIONS, type Permission, type RoleName } from '@passman/contracts';
import type { Tx } from '../../db/transaction.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import { safeEqual } from '../../lib/safe-equal.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SessionPolicy } from '../auth/auth.service.js';
import { noSessionCache, type SessionCache } from '../auth/session-cache.js';
import { csrfTokenFor, hashToken, randomToken } from '../auth/secret-tokens.js';
import { mfaAtProvider, type Claims } from './oidc-claims.js';
import { createDiscoveryCache, describeOidcError, oidc, type OidcClientSettings } from './oidc-client.js';
import { OidcLoginFailure } from './oidc-login-failure.js';
import { provisionUser } from './oidc-provisioning.js';
import type { OidcRepo, OidcUserRow } from './oidc.repo.js';
import { redirectUriOf, type OidcSettingsStore, type StoredOidcSettings } from './oidc-settings.js';

/** How long the browser has to come back from the provider. */
export const LOGIN_STATE_TTL_MS = 10 * 60_000;
/** Logins under way at once, all browsers together. */
const MAX_LIVE_LOGINS = 10_000;

const KNOWN = new Set<string>(PERMISSIONS);

export interface CallbackQuery {
  code?: string;
  state?: string;
  error?: string;
  error_description?: string;
  [param: string]: string | undefined;
}

export function createOidcLoginService(deps: {
  repo: OidcRepo;
  store: OidcSettingsStore;
  audit: AuditService;
  /** The session timeouts in force (stored settings over the environment's defaults). */
  session: () => Promise<SessionPolicy>;
  /** Emptied when a login's role change ends the user's other sessions. */
  sessionCache?: SessionCache;
  /**
   * PassMan's own second factor (modules/mfa): a user who has one proves it after the provider
   * too, unless the provider says it asked for one and the settings trust it. None: never asked.
   */
  secondFactor?: {
    methodsOf(userId: string, tx: Tx): Promise<readonly string[]>;
    issueLoginChallenge(userId: string): Promise<MfaLoginChallenge | null>;
  };
  now?: () => Date;
}) {
  const now = deps.now ?? (() => new Date());
  const cache = deps.sessionCache ?? noSessionCache;
  const configFor = createDiscoveryCache(now);

  const ready = (settings: StoredOidcSettings, clientSecretSet: boolean) =>
    settings.enabled && settings.issuer !== '' && settings.clientId !== '' && settings.consoleUrl !== '' && clientSecretSet;

  async function clientSettings(settings: StoredOidcSettings): Promise<OidcClientSettings> {
    return { issuer: settings.issuer, clientId: settings.clientId, clientSecret: await deps.store.clientSecret(), caCertificates: settings.caCertificates };
  }

  async function configuration(settings: StoredOidcSettings) {
    try {
      return await configFor(await clientSettings(settings));
    } catch (error) {
      throw new OidcLoginFailure('OIDC_UNAVAILABLE', `discovery failed: ${describeOidcError(error)}`);
    }
  }

  async function exchange(
    config: oidc.Configuration,
    redirectUri: string,
    query: CallbackQuery,
    state: { state: string; nonce: string; codeVerifier: string },
  ) {
    // The URL the provider redirected to, rebuilt from the configured redirect URI (never the request's Host).
    const currentUrl = new URL(redirectUri);
    for (const [name, value] of Object.entries(query)) if (value !== undefined) currentUrl.searchParams.set(name, value);
    let tokens;
    try {
      tokens = await oidc.authorizationCodeGrant(config, currentUrl, {
        pkceCodeVerifier: state.codeVerifier,
        expectedState: state.state,
        expectedNonce: state.nonce,
        idTokenExpected: true,
      });
    } catch (error) {
      if (error instanceof oidc.ResponseBodyError) throw new OidcLoginFailure('OIDC_CODE_REJECTED', `token request refused: ${describeOidcError(error)}`);
      if (error instanceof oidc.AuthorizationResponseError) throw new OidcLoginFailure('OIDC_PROVIDER_ERROR', describeOidcError(error));
      const code = (error as { code?: string }).code ?? '';
      if (
        code.startsWith('OAUTH_JWT') ||
        code === 'OAUTH_JSON_ATTRIBUTE_COMPARISON_FAILED' ||
        code === 'OAUTH_KEY_SELECTION_FAILED' ||
        code === 'ERR_JWS_SIGNATURE_VERIFICATION_FAILED'
      ) {
        throw new OidcLoginFailure('OIDC_TOKEN_INVALID', `ID token refused: ${describeOidcError(error)}`);
      }
      if (error instanceof TypeError || code === 'ABORT_ERR' || code === 'TIMEOUT_ERR')
        throw new OidcLoginFailure('OIDC_UNAVAILABLE', describeOidcError(error));
      throw new OidcLoginFailure('OIDC_TOKEN_INVALID', describeOidcError(error));
    }
    const idClaims = tokens.claims();
    if (!idClaims) throw new OidcLoginFailure('OIDC_TOKEN_INVALID', 'the provider sent no ID token');
    let claims: Claims = { ...idClaims };
    if (config.serverMetadata().userinfo_endpoint) {
      try {
        const userinfo = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        // The ID token's own claims win over userinfo's.
        claims = { ...userinfo, ...idClaims };
      } catch (error) {
        throw new OidcLoginFailure('OIDC_TOKEN_INVALID', `userinfo refused: ${describeOidcError(error)}`);
      }
    }
    return { subject: idClaims.sub, issuer: config.serverMetadata().issuer, claims };
  }

  const actorOf = (user: OidcUserRow, sessionId: string, token: string): Actor => ({
    kind: 'session',
    userId: user.id,
    username: user.username,
    displayName: user.displayName,
    role: user.role.name as RoleName,
    permissions: new Set(user.role.permissions.filter((p): p is Permission => KNOWN.has(p))),
    sessionId,
    csrfToken: csrfTokenFor(token),
  });

  return {
    async loginOptions(): Promise<LoginOptions> {
      const { settings, clientSecretSet } = await deps.store.load();
      return {
        sso: ready(settings, clientSecretSet) ? { providerName: settings.providerName, loginUrl: `/api/v1${OIDC_LOGIN_PATH}` } : null,
        localLoginEnabled: settings.localLoginEnabled,
      };
    },

    /** Where the console is, to send the browser back to (empty when not configured: then the same origin). */
    async consoleUrl(): Promise<string> {
      return (await deps.store.load()).settings.consoleUrl.replace(/\/+$/, '');
    },

    /** Starts a login: the provider's authorization URL, and the value for the browser's HttpOnly cookie. */
    async start(ctx: RequestContext): Promise<{ authorizationUrl: string; browserToken: string }> {
      try {
        const { settings, clientSecretSet } = await deps.store.load();
        if (!ready(settings, clientSecretSet)) throw new OidcLoginFailure('OIDC_NOT_CONFIGURED', 'single sign-on is not enabled or not fully configured');
        const config = await configuration(settings);
        const state = { state: oidc.randomState(), nonce: oidc.randomNonce(), codeVerifier: oidc.randomPKCECodeVerifier() };
        const browserToken = randomToken();
        await deps.repo.purgeExpiredLoginStates(now());
        // Each start stores a row before anyone has logged in: a flood of starts must not fill the table.
        if ((await deps.repo.liveLoginStates()) >= MAX_LIVE_LOGINS)
          throw new OidcLoginFailure('OIDC_UNAVAILABLE', 'too many single sign-on logins under way; try again shortly');
        await deps.repo.saveLoginState({ browserHash: hashToken(browserToken), ...state, expiresAt: new Date(now().getTime() + LOGIN_STATE_TTL_MS) });
        const url = oidc.buildAuthorizationUrl(config, {
          redirect_uri: redirectUriOf(settings)!,
          scope: settings.scopes.join(' '),
          code_challenge: await oidc.calculatePKCECodeChallenge(state.codeVerifier),
          code_challenge_method: 'S256',
          state: state.state,
          nonce: state.nonce,
        });
        return { authorizationUrl: url.href, browserToken };
      } catch (error) {
        if (error instanceof OidcLoginFailure) await this.recordFailure(ctx, error, null);
        throw error;
      }
    },

    /**
     * The provider's redirect back. Takes (and so ends) the login this browser started, checks
     * state, then lets openid-client check the code (PKCE), the ID token (signature, issuer,
     * audience, expiry, nonce), then links or creates the user and opens a session.
     */
    async finish(browserToken: string | undefined, query: CallbackQuery, ctx: RequestContext) {
      let subject: string | null = null;
      try {
        const { settings, clientSecretSet } = await deps.store.load();
        if (!ready(settings, clientSecretSet)) throw new OidcLoginFailure('OIDC_NOT_CONFIGURED', 'single sign-on is not enabled or not fully configured');
        const state = browserToken ? await deps.repo.takeLoginState(hashToken(browserToken)) : null;
        if (!state) throw new OidcLoginFailure('OIDC_STATE_INVALID', 'no login was started in this browser, or it was already used');
        if (state.expiresAt.getTime() <= now().getTime()) throw new OidcLoginFailure('OIDC_STATE_INVALID', 'the login took too long and expired');
        if (!query.state || !safeEqual(query.state, state.state))
          throw new OidcLoginFailure('OIDC_STATE_INVALID', 'the state sent back is not the one this login sent');
        if (query.error)
          throw new OidcLoginFailure(
            'OIDC_PROVIDER_ERROR',
            `the provider refused: ${query.error}${query.error_description ? ` (${query.error_description.slice(0, 300)})` : ''}`,
          );
        const config = await configuration(settings);
        const result = await exchange(config, redirectUriOf(settings)!, query, state);
        subject = result.subject;
        const at = now();
        const token = randomToken();
        const { maxAgeMs } = await deps.session();
        const mfa = mfaAtProvider(result.claims, settings);
        const outcome = await deps.repo.transaction(async (repo, tx) => {
          const provisioned = await provisionUser({ repo, settings, issuer: result.issuer, subject: result.subject, claims: result.claims, at });
          const user = provisioned.user;
          // The provider's word replaces PassMan's second factor only where the settings trust it.
          const secondStep = !mfa && deps.secondFactor !== undefined && (await deps.secondFactor.methodsOf(user.id, tx)).length > 0;
          let loggedIn: Actor | null = null;
          if (!secondStep) {
            const session = await repo.createSession({
              tokenHash: hashToken(token),
              userId: user.id,
              ip: ctx.ip,
              userAgent: ctx.userAgent?.slice(0, 300) ?? null,
              expiresAt: new Date(at.getTime() + maxAgeMs),
              // A second factor the provider vouches for counts as one proven now (step-up, token creation).
              secondFactorAt: mfa ? at : null,
            });
            await repo.recordLogin(user.id, at);
            loggedIn = actorOf(user, session.id, token);
          }
          const asUser: RequestContext = loggedIn ? { ...ctx, actor: loggedIn } : ctx;
          const byUser = loggedIn ? {} : { actorName: user.username };
          await deps.audit.recordMany(
            [
              ...provisioned.events.map((event) => ({ ctx: asUser, event: { ...byUser, ...event } })),
              {
                ctx: asUser,
                event: {
                  ...byUser,
                  action: 'auth.sso.login',
                  objectType: 'user',
                  objectId: user.id,
                  details: { issuer: result.issuer, subject: result.subject, mfaAtProvider: mfa, ...(secondStep ? { secondFactor: 'pending' } : {}) },
                },
              },
            ],
            tx,
          );
          return { loggedIn, user, endedSessions: provisioned.endedSessions };
        });
        if (outcome.endedSessions) cache.invalidate();
        if (outcome.loggedIn) return { kind: 'session' as const, actor: outcome.loggedIn, sessionToken: token, maxAgeMs, mfaAtProvider: mfa };
        const challenge = await deps.secondFactor!.issueLoginChallenge(outcome.user.id);
        // Its factors were removed in the instant since: the login starts over rather than skip the step.
        if (!challenge) throw new OidcLoginFailure('OIDC_STATE_INVALID', 'the second factor changed during the login; log in again');
        return { kind: 'second-factor' as const, challenge };
      } catch (error) {
        if (error instanceof OidcLoginFailure) await this.recordFailure(ctx, error, subject);
        throw error;
      }
    },

    async recordFailure(ctx: RequestContext, failure: OidcLoginFailure, subject: string | null): Promise<void> {
      await deps.audit.record(ctx, {
        action: 'auth.sso.login',
        objectType: 'user',
        objectId: null,
        outcome: 'failure',
        actorName: '(single sign-on)',
        details: { reason: failure.code, detail: asSingleLineText(failure.reason, 500), ...(subject ? { subject } : {}) },
      });
    },

    purgeExpiredLoginStates: (): Promise<number> => deps.repo.purgeExpiredLoginStates(now()),
  };
}

export type OidcLoginService = ReturnType<typeof createOidcLoginService>;
