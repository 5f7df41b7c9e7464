import { randomBytes } from 'node:crypto';
import { decodeSealedText, encodeSealedText, isVaultError, type EnvelopeContext, type Vault } from '@passman/vault';
import type { WebhooksRepo } from './webhooks.repo.js';

/** The envelope context of a webhook's secret: bound to its webhook, so a sealed secret copied onto another row does not open. */
const contextOf = (webhookId: string): EnvelopeContext => ({ credentialId: webhookId, version: 1, purpose: 'webhook-secret' });

/** A new signing secret: 32 random bytes, prefixed so a leaked one is recognisable in a scan. */
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

export function sealWebhookSecret(vault: Vault, webhookId: string, secret: string): string {
  return encodeSealedText(vault.encrypt(secret, contextOf(webhookId)));
}

export function openWebhookSecret(vault: Vault, webhookId: string, value: string): string {
  return vault.decrypt(decodeSealedText(value), contextOf(webhookId)).toString('utf8');
}

/**
 * Re-wraps the secret of every webhook still under an older master key with the active one (master
 * key rotation), a batch at a time; how many it re-wrapped.
 */
export function rewrapWebhookSecrets(deps: {
  vault: Vault;
  repo: Pick<WebhooksRepo, 'sealedSecrets' | 'replaceSealedSecret'>;
  batchSize?: number;
  onUnopenable?: (webhookId: string) => void;
}): Promise<number> {
  return rewrapSealedColumn(deps.vault, contextOf, {
    page: (after, limit) => deps.repo.sealedSecrets(after, limit).then((rows) => rows.map((r) => ({ id: r.id, sealed: r.secretSealed }))),
    replace: (id, expected, next) => deps.repo.replaceSealedSecret(id, expected, next),
    batchSize: deps.batchSize,
    onUnopenable: deps.onUnopenable,
  });
}

/**
 * Re-wraps one sealed column of the webhooks under the active master key. A row is replaced only
 * if it still holds the value read, so a change made meanwhile is kept; one pass in id order, so
 * such a row is left for the next run instead of being chased. Which rows need it is decided
 * here, not in SQL: a value that is not a sealed one (or does not open) is then named through
 * `onUnopenable` and skipped, instead of failing the query or the run.
 */
export async function rewrapSealedColumn(
  vault: Vault,
  contextOfRow: (webhookId: string) => EnvelopeContext,
  column: {
    page: (afterId: string | null, limit: number) => Promise<{ id: string; sealed: string }[]>;
    replace: (id: string, expected: string, next: string) => Promise<boolean>;
    batchSize?: number;
    onUnopenable?: (id: string) => void;
  },
): Promise<number> {
  if (vault.activeKeyVersion === undefined) throw new Error('the vault is sealed: set the master keys first');
  let rewrapped = 0;
  let after: string | null = null;
  for (;;) {
    const rows = await column.page(after, column.batchSize ?? 200);
    if (rows.length === 0) return rewrapped;
    for (const row of rows) {
      let next: string;
      try {
        const record = decodeSealedText(row.sealed);
        if (!vault.needsRewrap(record)) continue;
        next = encodeSealedText(vault.rewrap(record, contextOfRow(row.id)));
      } catch (error) {
        if (!isVaultError(error)) throw error;
        column.onUnopenable?.(row.id);
        continue;
      }
      if (await column.replace(row.id, row.sealed, next)) rewrapped += 1;
    }
    after = rows[rows.length - 1]!.id;
  }
}
