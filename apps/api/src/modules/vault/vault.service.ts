import { CREDENTIAL_SECRET_PURPOSE, isVaultError, type Vault, type VaultErrorCode } from '@passman/vault';
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
  /** Values that did not open and were left as they are (ids only): a second run names them again. */
  unopenable: UnopenableValue[];
}

export interface UnopenableValue {
  kind: 'credential-version' | 'totp-secret' | 'import-upload-part' | 'webhook-secret' | 'webhook-url' | 'ldap-bind-password' | 'oidc-client-secret';
  id: string;
}

/** What a value that cannot be re-wrapped throws: altered or moved in the database, or under a master key not configured. */
const UNOPENABLE: ReadonlySet<VaultErrorCode> = new Set(['DECRYPT_FAILED', 'KEY_VERSION_UNKNOWN', 'CONTEXT_INVALID']);

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
      const batch = options.batchSize ?? 200;
      const unopenable: UnopenableValue[] = [];
      /**
       * Re-wraps one value; false when it does not open (altered, moved, or under a master key no
       * longer configured): it is named and the run goes on, so one broken row neither stops the
       * rotation nor hides what else is left under the old key.
       */
      const rewrapOne = async (kind: UnopenableValue['kind'], id: string, rewrap: () => Promise<boolean>): Promise<boolean> => {
        try {
          return await rewrap();
        } catch (error) {
          if (!isVaultError(error) || !UNOPENABLE.has(error.code)) throw error;
          unopenable.push({ kind, id });
          return false;
        }
      };

      // The single settings first: the audit key, above all, must not wait on a broken row.
      const auditKey = await rewrapAuditKey({ vault: deps.vault, settings: deps.settings });
      const ldapBindPassword = await rewrapOne('ldap-bind-password', 'ldap', () => rewrapLdapBindPassword({ vault: deps.vault, repo: deps.ldap }));
      const oidcClientSecret = await rewrapOne('oidc-client-secret', 'oidc', () => rewrapOidcClientSecret({ vault: deps.vault, repo: deps.oidc }));

      let rewrapped = 0;
      for (let after: string | null = null; ;) {
        const rows = await deps.repo.versionsNotUnder(active, after, batch);
        if (rows.length === 0) break;
        for (const row of rows) {
          const context = { credentialId: row.credentialId, version: row.version, purpose: CREDENTIAL_SECRET_PURPOSE };
          if (await rewrapOne('credential-version', row.id, () => deps.repo.replaceWrappedKey(row, deps.vault.rewrap(row, context)))) rewrapped += 1;
        }
        after = rows[rows.length - 1]!.id;
      }
      let totpSecrets = 0;
      for (let after: string | null = null; ;) {
        const rows = await deps.repo.totpSecretsNotUnder(active, after, batch);
        if (rows.length === 0) break;
        for (const row of rows) {
          if (await rewrapOne('totp-secret', row.id, () => deps.repo.replaceTotpWrappedKey(row, deps.vault.rewrap(row, totpSecretContext(row.id)))))
            totpSecrets += 1;
        }
        after = rows[rows.length - 1]!.id;
      }
      let importUploadParts = 0;
      for (let after: { importId: string; part: number } | null = null; ;) {
        // Parts hold up to 256 KiB each: a few at a time.
        const rows = await deps.repo.importUploadPartsNotUnder(active, after, 8);
        if (rows.length === 0) break;
        for (const row of rows) {
          const context = uploadPartContext(row.importId, row.part, row.partCount);
          if (
            await rewrapOne('import-upload-part', `${row.importId}/${row.part}`, () =>
              deps.repo.replaceImportUploadWrappedKey(row, deps.vault.rewrap(row, context)),
            )
          )
            importUploadParts += 1;
        }
        after = rows[rows.length - 1]!;
      }
      const onUnopenable = (kind: UnopenableValue['kind']) => (id: string) => void unopenable.push({ kind, id });
      const webhookSecrets = await rewrapWebhookSecrets({
        vault: deps.vault,
        repo: deps.webhooks,
        batchSize: options.batchSize,
        onUnopenable: onUnopenable('webhook-secret'),
      });
      const webhookUrls = await rewrapWebhookUrls({
        vault: deps.vault,
        repo: deps.webhooks,
        batchSize: options.batchSize,
        onUnopenable: onUnopenable('webhook-url'),
      });
      const result = { rewrapped, totpSecrets, importUploadParts, webhookSecrets, webhookUrls, ldapBindPassword, oidcClientSecret, auditKey, unopenable };
      await deps.audit.record(systemContext('vault-rewrap'), {
        action: 'vault.rewrap',
        objectType: 'vault',
        details: {
          ...result,
          unopenable: unopenable.length,
          // Ids only, never a value; enough to find them (a second run names the rest).
          unopenableValues: unopenable.slice(0, 100).map((u) => `${u.kind}:${u.id}`),
          activeKeyVersion: active,
        },
      });
      return result;
    },
  };
}

export type VaultService = ReturnType<typeof createVaultService>;
