import { CREDENTIAL_SECRET_PURPOSE, type Vault } from '@passman/vault';
import { systemContext } from '../../lib/actor.js';
import { rewrapAuditKey } from '../audit/audit-key.js';
import { uploadPartContext } from '../imports/index.js';
import { rewrapLdapBindPassword, type LdapRepo } from '../ldap/index.js';
import { totpSecretContext } from '../mfa/index.js';
import { rewrapOidcClientSecret, type OidcRepo } from '../oidc/index.js';
import { rewrapWebhookSecrets, rewrapWebhookUrls, type WebhooksRepo } from '../webhooks/index.js';
import type { AuditService } from '../audit/audit.service.js';
import type { SettingsRepo } from './settings.repo.js';
import type { VaultRepo } from './vault.repo.js';

/** What a rewrap run re-wrapped: counts of rows, and whether each single sealed setting was. */
export interface RewrapResult {
  rewrapped: number;
  totpSecrets: number;
  importUploadParts: number;
  webhookSecrets: number;
  webhookUrls: number;
  ldapBindPassword: boolean;
  oidcClientSecret: boolean;
  auditKey: boolean;
}

/** Master-key maintenance over the stored secrets. */
export function createVaultService(deps: {
  repo: VaultRepo;
  settings: SettingsRepo;
  vault: Vault;
  audit: AuditService;
  /** The modules whose settings or rows hold values sealed under the master key. */
  webhooks: WebhooksRepo;
  ldap: LdapRepo;
  oidc: OidcRepo;
}) {
  return {
    /**
     * Re-wraps every data key still under an older master key with the active one, a batch
     * at a time; each row is its own update (guarded by its old key version), so PassMan keeps
     * serving while it runs and a second run only finishes what is left. The audit key, the
     * TOTP secrets of second factors, the files of imports waiting for their worker, the webhooks'
     * signing secrets and URLs, the LDAP bind password and the single sign-on client secret (stored wrapped
     * the same way) too, each replaced only if unchanged since it was read.
     */
    async rewrapAll(options: { batchSize?: number } = {}): Promise<RewrapResult> {
      const active = deps.vault.activeKeyVersion;
      if (active === undefined) throw new Error('the vault is sealed: set the master keys first');
      let rewrapped = 0;
      for (;;) {
        const rows = await deps.repo.versionsNotUnder(active, options.batchSize ?? 200);
        if (rows.length === 0) break;
        for (const row of rows) {
          const next = deps.vault.rewrap(row, { credentialId: row.credentialId, version: row.version, purpose: CREDENTIAL_SECRET_PURPOSE });
          if (await deps.repo.replaceWrappedKey(row, next)) rewrapped += 1;
        }
      }
      let totpSecrets = 0;
      for (;;) {
        const rows = await deps.repo.totpSecretsNotUnder(active, options.batchSize ?? 200);
        if (rows.length === 0) break;
        for (const row of rows) {
          if (await deps.repo.replaceTotpWrappedKey(row, deps.vault.rewrap(row, totpSecretContext(row.id)))) totpSecrets += 1;
        }
      }
      let importUploadParts = 0;
      for (;;) {
        // Parts hold up to 256 KiB each: a few at a time.
        const rows = await deps.repo.importUploadPartsNotUnder(active, 8);
        if (rows.length === 0) break;
        for (const row of rows) {
          const next = deps.vault.rewrap(row, uploadPartContext(row.importId, row.part, row.partCount));
          if (await deps.repo.replaceImportUploadWrappedKey(row, next)) importUploadParts += 1;
        }
      }
      const webhookSecrets = await rewrapWebhookSecrets({ vault: deps.vault, repo: deps.webhooks, batchSize: options.batchSize });
      const webhookUrls = await rewrapWebhookUrls({ vault: deps.vault, repo: deps.webhooks, batchSize: options.batchSize });
      const ldapBindPassword = await rewrapLdapBindPassword({ vault: deps.vault, repo: deps.ldap });
      const oidcClientSecret = await rewrapOidcClientSecret({ vault: deps.vault, repo: deps.oidc });
      const auditKey = await rewrapAuditKey({ vault: deps.vault, settings: deps.settings });
      const result = { rewrapped, totpSecrets, importUploadParts, webhookSecrets, webhookUrls, ldapBindPassword, oidcClientSecret, auditKey };
      await deps.audit.record(systemContext('vault-rewrap'), {
        action: 'vault.rewrap',
        objectType: 'vault',
        details: { ...result, activeKeyVersion: active },
      });
      return result;
    },
  };
}

export type VaultService = ReturnType<typeof createVaultService>;
