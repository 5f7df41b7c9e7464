import type { UpdateOidcSettings } from '@passman/contracts';
import { createMigratedDatabase, dropDatabase, startTestOidcProvider, type TestOidcProvider } from '@passman/testkit';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';

/** The console's address in these tests; only its redirect URI is ever compared, nothing is served there. */
export const CONSOLE_URL = 'https://passman.example.test';
export const REDIRECT_URI = `${CONSOLE_URL}/api/v1/auth/oidc/callback`;

export interface OidcWorld {
  api: TestApi;
  provider: TestOidcProvider;
  admin: LoggedIn;
  /** Replaces the settings (over the API, as an administrator); returns the response. */
  configure(overrides?: Partial<UpdateOidcSettings>): Promise<void>;
  close(): Promise<void>;
}

export const baseSettings = (provider: TestOidcProvider): UpdateOidcSettings => ({
  enabled: true,
  providerName: 'Test IdP',
  issuer: provider.issuer,
  clientId: provider.clientId,
  clientSecret: provider.clientSecret,
  caCertificates: null,
  consoleUrl: CONSOLE_URL,
  scopes: ['openid', 'profile', 'email', 'groups'],
  linkClaim: 'preferred_username',
  roleClaim: 'roles',
  roleMapping: [
    { value: 'passman-admins', role: 'admin' },
    { value: 'passman-operators', role: 'operator' },
  ],
  defaultRole: 'auditor',
  groupsClaim: null,
  groupMapping: [],
  localLoginEnabled: true,
  breakGlassUsername: null,
  trustProviderMfa: false,
  mfaAmrValues: ['mfa'],
});

/**
 * A PassMan API on a database of its own (the single sign-on settings are global: turning local
 * login off must not reach other test files), with a real OpenID provider beside it.
 */
export async function startOidcWorld(options: { tls?: { cert: string; key: string }; mfaClock?: () => Date } = {}): Promise<OidcWorld> {
  const adminUrl = process.env.PASSMAN_TEST_ADMIN_DATABASE_URL!;
  const url = await createMigratedDatabase(adminUrl, 'passman_oidc');
  const api = await createTestApi({ databaseUrl: url, mfaClock: options.mfaClock });
  const provider = await startTestOidcProvider({ redirectUris: [REDIRECT_URI], tls: options.tls });
  const admin = await loginAs(api, 'admin');
  return {
    api,
    provider,
    admin,
    async configure(overrides = {}) {
      const res = await admin.agent
        .put('/api/v1/settings/oidc')
        .set('X-CSRF-Token', admin.csrf)
        .send({ ...baseSettings(provider), ...overrides });
      if (res.status !== 200) throw new Error(`configure: ${res.status} ${JSON.stringify(res.body)}`);
    },
    async close() {
      await provider.close();
      await api.close();
      await dropDatabase(adminUrl, url);
    },
  };
}

/** A browser's single sign-on as `accountId`: start, sign in at the provider, come back. */
export async function ssoLogin(world: OidcWorld, accountId: string) {
  const agent = world.api.request();
  const start = await agent.get('/api/v1/auth/oidc/login').expect(302);
  const back = await world.provider.signIn(String(start.headers.location), accountId);
  const res = await agent.get(`/api/v1/auth/oidc/callback${back.search}`).expect(302);
  return { agent, location: String(res.headers.location), back, start };
}
