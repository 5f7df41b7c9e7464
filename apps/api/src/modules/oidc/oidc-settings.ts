import type { OidcSettings, UpdateOidcSettings } from '@passman/contracts';
import { OIDC_CALLBACK_PATH } from '@passman/contracts';
import { decodeSealedText, encodeSealedText, type EnvelopeContext, type Vault } from '@passman/vault';
import { AppError } from '../../lib/app-error.js';
import { OIDC_CLIENT_SECRET_KEY, OIDC_SETTINGS_KEY, type OidcQueries, type OidcRepo } from './oidc.repo.js';

/** The settings as stored in `system_settings` (JSON): everything but the secret, which is kept apart, encrypted. */
export type StoredOidcSettings = Omit<UpdateOidcSettings, 'clientSecret'>;

export const DEFAULT_OIDC_SETTINGS: StoredOidcSettings = {
  enabled: false,
  providerName: 'SSO',
  issuer: '',
  clientId: '',
  caCertificates: null,
  consoleUrl: '',
  scopes: ['openid', 'profile', 'email'],
  linkClaim: 'preferred_username',
  roleClaim: null,
  roleMapping: [],
  defaultRole: null,
  groupsClaim: null,
  groupMapping: [],
  localLoginEnabled: true,
  breakGlassUsername: null,
  trustProviderMfa: false,
  mfaAmrValues: ['mfa', 'otp', 'hwk', 'swk'],
};

/** The client secret's envelope context: a ciphertext copied to another record does not open. */
const SECRET_CONTEXT: EnvelopeContext = { credentialId: 'passman-oidc-client-secret', version: 1, purpose: 'oidc-client-secret' };

export const redirectUriOf = (settings: Pick<StoredOidcSettings, 'consoleUrl'>): string | null =>
  settings.consoleUrl ? `${settings.consoleUrl.replace(/\/+$/, '')}/api/v1${OIDC_CALLBACK_PATH}` : null;

export function presentOidcSettings(settings: StoredOidcSettings, clientSecretSet: boolean): OidcSettings {
  return { ...settings, clientSecretSet, redirectUri: redirectUriOf(settings) };
}

export function createOidcSettingsStore(deps: { repo: OidcRepo; vault: Vault }) {
  return {
    async load(repo: Pick<OidcQueries, 'getSetting'> = deps.repo): Promise<{ settings: StoredOidcSettings; clientSecretSet: boolean }> {
      const raw = await repo.getSetting(OIDC_SETTINGS_KEY);
      const settings = raw ? { ...DEFAULT_OIDC_SETTINGS, ...(JSON.parse(raw) as Partial<StoredOidcSettings>) } : DEFAULT_OIDC_SETTINGS;
      return { settings, clientSecretSet: (await repo.getSetting(OIDC_CLIENT_SECRET_KEY)) !== null };
    },

    async save(repo: OidcQueries, settings: StoredOidcSettings, clientSecret: string | null | undefined): Promise<void> {
      await repo.putSetting(OIDC_SETTINGS_KEY, JSON.stringify(settings));
      if (clientSecret === null) await repo.deleteSetting(OIDC_CLIENT_SECRET_KEY);
      else if (clientSecret !== undefined) await repo.putSetting(OIDC_CLIENT_SECRET_KEY, sealSecret(deps.vault, clientSecret));
    },

    /** The client secret in clear, for the token request only; null when none is stored. */
    async clientSecret(): Promise<string | null> {
      const stored = await deps.repo.getSetting(OIDC_CLIENT_SECRET_KEY);
      if (!stored) return null;
      if (deps.vault.sealed) throw new AppError('SEALED', 'PassMan is sealed: the single sign-on client secret cannot be read');
      return deps.vault.decrypt(decodeSealedText(stored), SECRET_CONTEXT).toString('utf8');
    },
  };
}

function sealSecret(vault: Vault, secret: string): string {
  if (vault.sealed) throw new AppError('SEALED', 'PassMan is sealed: the single sign-on client secret cannot be stored');
  return encodeSealedText(vault.encrypt(secret, SECRET_CONTEXT));
}

/**
 * Re-wraps the stored client secret under the active master key (master key rotation); true when it
 * changed. Stored only if the setting still holds the value read: an administrator's change meanwhile is kept.
 */
export async function rewrapOidcClientSecret(deps: { vault: Vault; repo: Pick<OidcQueries, 'getSetting' | 'replaceSetting'> }): Promise<boolean> {
  const stored = await deps.repo.getSetting(OIDC_CLIENT_SECRET_KEY);
  if (!stored) return false;
  const record = decodeSealedText(stored);
  if (!deps.vault.needsRewrap(record)) return false;
  return deps.repo.replaceSetting(OIDC_CLIENT_SECRET_KEY, stored, encodeSealedText(deps.vault.rewrap(record, SECRET_CONTEXT)));
}

export type OidcSettingsStore = ReturnType<typeof createOidcSettingsStore>;
