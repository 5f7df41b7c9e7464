import { decodeSealedText, encodeSealedText, type EnvelopeContext, type Vault } from '@passman/vault';
import { rewrapSealedColumn } from './webhook-secret.js';
import { auditedWebhookUrl } from './webhook-url.js';
import type { SealedWebhookUrl, WebhooksRepo } from './webhooks.repo.js';

/**
 * A webhook's URL at rest. Receivers take their credential in the URL (a path segment, `?token=`),
 * so whoever holds the database without the master key must not read it: it is sealed like the
 * signing secret, under a purpose of its own (a sealed secret never opens as a URL, nor the
 * reverse) and bound to its webhook (a seal copied onto another row does not open). In clear
 * stays only the display form the audit trail uses.
 */
const contextOf = (webhookId: string): EnvelopeContext => ({ credentialId: webhookId, version: 1, purpose: 'webhook-url' });

/** A webhook's URL in either stored form: sealed, or in clear on a row stored before URLs were sealed. */
export interface StoredWebhookUrl {
  id: string;
  urlClear: string | null;
  urlSealed: string | null;
}

export function sealWebhookUrl(vault: Vault, webhookId: string, url: string): SealedWebhookUrl {
  return { urlSealed: encodeSealedText(vault.encrypt(url, contextOf(webhookId))), urlDisplay: auditedWebhookUrl(url) };
}

export function openWebhookUrl(vault: Vault, webhookId: string, sealed: string): string {
  return vault.decrypt(decodeSealedText(sealed), contextOf(webhookId)).toString('utf8');
}

/** The URL to send to: opened from its seal, or the clear one a row not sealed yet still has. */
export function webhookUrlOf(vault: Vault, row: StoredWebhookUrl): string {
  if (row.urlSealed !== null) return openWebhookUrl(vault, row.id, row.urlSealed);
  if (row.urlClear !== null) return row.urlClear;
  throw new Error('the webhook has no URL stored');
}

/** What may be shown of a row's URL without opening it. */
export const displayedWebhookUrl = (row: { urlClear: string | null; urlDisplay: string | null }): string =>
  row.urlDisplay ?? auditedWebhookUrl(row.urlClear ?? '');

/**
 * Seals the URLs still stored in clear and clears them; how many it sealed. A migration cannot do
 * it (the master key never reaches the database), so every process runs this when it starts with
 * the vault unsealed. Each row is replaced only while it still holds the clear URL read, so
 * processes starting together seal each row once, and an administrator's change meanwhile is kept.
 */
export async function sealClearWebhookUrls(deps: {
  vault: Vault;
  repo: { clearUrls: (afterId: string | null, limit: number) => Promise<{ id: string; urlClear: string }[]>; sealClearUrl: WebhooksRepo['sealClearUrl'] };
  batchSize?: number;
}): Promise<number> {
  if (deps.vault.sealed) return 0;
  let sealed = 0;
  let after: string | null = null;
  for (;;) {
    const rows = await deps.repo.clearUrls(after, deps.batchSize ?? 200);
    if (rows.length === 0) return sealed;
    for (const row of rows) {
      if (await deps.repo.sealClearUrl(row.id, row.urlClear, sealWebhookUrl(deps.vault, row.id, row.urlClear))) sealed += 1;
    }
    after = rows[rows.length - 1]!.id;
  }
}

/** Re-wraps every sealed URL still under an older master key with the active one (master key rotation); how many it re-wrapped. */
export function rewrapWebhookUrls(deps: {
  vault: Vault;
  repo: Pick<WebhooksRepo, 'sealedUrls' | 'replaceSealedUrl'>;
  batchSize?: number;
  onUnopenable?: (webhookId: string) => void;
}): Promise<number> {
  return rewrapSealedColumn(deps.vault, contextOf, {
    page: (after, limit) => deps.repo.sealedUrls(after, limit).then((rows) => rows.map((r) => ({ id: r.id, sealed: r.urlSealed }))),
    replace: (id, expected, next) => deps.repo.replaceSealedUrl(id, expected, next),
    batchSize: deps.batchSize,
    onUnopenable: deps.onUnopenable,
  });
}
