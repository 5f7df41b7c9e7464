import type { OidcSettings, OidcTestResult, UpdateOidcSettings } from '@passman/contracts';
import { AppError, type FieldIssue } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AuditService } from '../audit/audit.service.js';
import { assertUsableIssuer, describeOidcError, discover } from './oidc-client.js';
import type { OidcQueries, OidcRepo } from './oidc.repo.js';
import { parseCaBundle } from './provider-fetch.js';
import { presentOidcSettings, type OidcSettingsStore, type StoredOidcSettings } from './oidc-settings.js';

export function createOidcSettingsService(deps: { repo: OidcRepo; store: OidcSettingsStore; audit: AuditService }) {
  /** Every reason the settings would not work, as field issues (empty when they would). */
  async function problems(repo: OidcQueries, next: StoredOidcSettings, secretSet: boolean, clientSecret: string | null): Promise<FieldIssue[]> {
    const issues: FieldIssue[] = [];
    const issue = (path: string, message: string) => issues.push({ path: `body.${path}`, message });
    if (next.enabled) {
      if (!next.issuer) issue('issuer', 'required when single sign-on is enabled');
      if (!next.clientId) issue('clientId', 'required when single sign-on is enabled');
      if (!next.consoleUrl) issue('consoleUrl', 'required when single sign-on is enabled (the redirect URI is built from it)');
      if (!secretSet) issue('clientSecret', 'required when single sign-on is enabled');
      if (!next.scopes.includes('openid')) issue('scopes', 'must include openid');
    }
    if (next.issuer) {
      try {
        assertUsableIssuer(next.issuer);
      } catch (error) {
        issue('issuer', (error as Error).message);
      }
    }
    if (next.caCertificates) {
      const bundle = parseCaBundle(next.caCertificates);
      if (!bundle.ok) issue('caCertificates', bundle.reason);
    }
    const groupIds = [...new Set(next.groupMapping.map((m) => m.groupId))];
    if (groupIds.length > 0) {
      const found = new Set((await repo.groupNames(groupIds)).map((g) => g.id));
      next.groupMapping.forEach((m, i) => {
        if (!found.has(m.groupId)) issue(`groupMapping.${i}.groupId`, 'no such group');
      });
    }
    if (next.groupMapping.length > 0 && !next.groupsClaim) issue('groupsClaim', 'required when groups are mapped');
    if (next.roleMapping.length > 0 && !next.roleClaim) issue('roleClaim', 'required when roles are mapped');
    if (next.breakGlassUsername) {
      const user = await repo.findUserByUsername(next.breakGlassUsername);
      if (!user) issue('breakGlassUsername', 'no such user');
      else {
        if (user.roleName !== 'admin') issue('breakGlassUsername', 'must be an admin');
        if (user.disabledAt) issue('breakGlassUsername', 'is disabled');
        if ((await repo.identitiesOf(user.id)).length > 0)
          issue('breakGlassUsername', 'is linked to an outside account; the break-glass admin must be a local user');
      }
    }
    if (!next.localLoginEnabled) {
      if (!next.enabled) issue('localLoginEnabled', 'local login can be turned off only while single sign-on is enabled');
      if (!next.breakGlassUsername) issue('breakGlassUsername', 'required to turn local login off (the one admin who can still log in with a password)');
      if (issues.length === 0) {
        try {
          await discover({ issuer: next.issuer, clientId: next.clientId, clientSecret, caCertificates: next.caCertificates });
        } catch (error) {
          issue('issuer', `the provider cannot be reached, so local login stays on: ${describeOidcError(error)}`);
        }
      }
    }
    return issues;
  }

  return {
    async get(): Promise<OidcSettings> {
      const { settings, clientSecretSet } = await deps.store.load();
      return presentOidcSettings(settings, clientSecretSet);
    },

    async put(input: UpdateOidcSettings, ctx: RequestContext): Promise<OidcSettings> {
      const { clientSecret, ...next } = input;
      return deps.repo.transaction(async (repo, tx) => {
        // One change at a time: the row lock serialises two administrators saving at once.
        await repo.lockSettings();
        const before = await deps.store.load(repo);
        const secretSet = clientSecret === undefined ? before.clientSecretSet : clientSecret !== null;
        const secretInClear = clientSecret === undefined ? (before.clientSecretSet ? await deps.store.clientSecret() : null) : clientSecret;
        const issues = await problems(repo, next, secretSet, secretInClear);
        if (issues.length > 0) {
          throw new AppError(
            'OIDC_SETTINGS_INVALID',
            `The single sign-on settings would not work: ${issues.map((i) => `${i.path.slice(5)} ${i.message}`).join('; ')}`,
            {
              errors: issues,
            },
          );
        }
        await deps.store.save(repo, next, clientSecret);
        await deps.audit.record(
          ctx,
          {
            action: 'settings.oidc.update',
            objectType: 'settings',
            objectId: null,
            details: {
              before: before.settings,
              after: next,
              clientSecret: clientSecret === undefined ? 'unchanged' : clientSecret === null ? 'removed' : 'replaced',
            },
          },
          tx,
        );
        return presentOidcSettings(next, secretSet);
      });
    },

    /** Fetches the discovery document of `issuer` and reports its endpoints, or the reason it failed. */
    async testConnection(issuer: string, caCertificates: string | null = null): Promise<OidcTestResult> {
      const empty = { authorizationEndpoint: null, tokenEndpoint: null, userinfoEndpoint: null, jwksUri: null };
      try {
        if (caCertificates) {
          const bundle = parseCaBundle(caCertificates);
          if (!bundle.ok) throw new Error(`the CA certificates field ${bundle.reason}`);
        }
        const config = await discover({ issuer, clientId: 'passman-connection-test', clientSecret: null, caCertificates });
        const meta = config.serverMetadata();
        return {
          ok: true,
          issuer: meta.issuer,
          authorizationEndpoint: meta.authorization_endpoint ?? null,
          tokenEndpoint: meta.token_endpoint ?? null,
          userinfoEndpoint: meta.userinfo_endpoint ?? null,
          jwksUri: meta.jwks_uri ?? null,
          error: null,
        };
      } catch (error) {
        return { ok: false, issuer, ...empty, error: describeOidcError(error) };
      }
    },

    /** Whether `username` is the break-glass admin while local login is off: the one way in if single sign-on breaks. */
    async isBreakGlass(username: string): Promise<boolean> {
      const { settings } = await deps.store.load();
      return !settings.localLoginEnabled && settings.breakGlassUsername === username;
    },

    /** Whether a password login of `username` is allowed: always, unless local login is off and it is not the break-glass admin. */
    async localLoginAllows(username: string): Promise<boolean> {
      const { settings } = await deps.store.load();
      return settings.localLoginEnabled || settings.breakGlassUsername === username;
    },
  };
}

export type OidcSettingsService = ReturnType<typeof createOidcSettingsService>;
