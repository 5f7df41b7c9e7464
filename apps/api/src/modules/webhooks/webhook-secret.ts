import { randomBytes } from 'node:crypto';
import type { EnvelopeContext, StoredRecord, Vault } from '@passman/vault';

/** The envelope context of a webhook's secret: bound to its webhook, so a sealed secret copied onto another row does not open. */
const contextOf = (webhookId: string): EnvelopeContext => ({ credentialId: webhookId, version: 1, purpose: 'webhook-secret' });

/** A new signing secret: 32 random bytes, prefixed so a leaked one is recognisable in a scan. */
export const generateWebhookSecret = () => `whsec_${randomBytes(32).toString('base64url')}`;

interface Sealed {
  format: 1;
  ciphertext: string;
  wrappedKey: string;
  keyVersion: number;
}

export function sealWebhookSecret(vault: Vault, webhookId: string, secret: string): string {
  const record = vault.encrypt(secret, contextOf(webhookId));
  const sealed: Sealed = {
    format: 1,
    ciphertext: record.ciphertext.toString('base64'),
    wrappedKey: record.wrappedKey.toString('base64'),
    keyVersion: record.keyVersion,
  };
  return JSON.stringify(sealed);
}

export function openWebhookSecret(vault: Vault, webhookId: string, value: string): string {
  const sealed = JSON.parse(value) as Sealed;
  const record: StoredRecord = {
    ciphertext: Buffer.from(sealed.ciphertext, 'base64'),
    wrappedKey: Buffer.from(sealed.wrappedKey, 'base64'),
    keyVersion: sealed.keyVersion,
  };
  return vault.decrypt(record, contextOf(webhookId)).toString('utf8');
}
