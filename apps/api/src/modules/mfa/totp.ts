import { generateSecret, generateURI, verify } from 'otplib';
import type { EnvelopeContext, Vault } from '@passman/vault';
import QRCode from 'qrcode';

/** RFC 6238 as every authenticator app does it: SHA-1, six digits, 30-second steps. */
export const TOTP_PERIOD_SECONDS = 30;

/** The envelope a factor's secret is sealed under: a ciphertext copied onto another factor does not open. */
export const totpSecretContext = (factorId: string): EnvelopeContext => ({ credentialId: factorId, version: 1, purpose: 'mfa-totp-secret' });

/** A new shared secret: 160 random bits, Base32 as authenticator apps take it. */
export const newTotpSecret = (): string => generateSecret({ length: 20 });

export function sealTotpSecret(vault: Vault, factorId: string, secret: string) {
  const record = vault.encrypt(secret, totpSecretContext(factorId));
  return { secretCiphertext: record.ciphertext, secretWrappedKey: record.wrappedKey, secretKeyVersion: record.keyVersion };
}

export function openTotpSecret(
  vault: Vault,
  factor: { id: string; secretCiphertext: Uint8Array | null; secretWrappedKey: Uint8Array | null; secretKeyVersion: number | null },
): string {
  if (!factor.secretCiphertext || !factor.secretWrappedKey || factor.secretKeyVersion === null) throw new Error('not a TOTP factor');
  return vault
    .decrypt({ ciphertext: factor.secretCiphertext, wrappedKey: factor.secretWrappedKey, keyVersion: factor.secretKeyVersion }, totpSecretContext(factor.id))
    .toString('utf8');
}

/**
 * The time step a code belongs to, if it is right for the current step or one step either side
 * (a phone clock a little off); null otherwise. Whether that step was used already is the
 * caller's to check, atomically (mfa.repo.ts acceptTimeStep).
 */
export async function matchTotpStep(secret: string, code: string, at: Date): Promise<number | null> {
  const result = await verify({ secret, token: code, epoch: Math.floor(at.getTime() / 1000), epochTolerance: TOTP_PERIOD_SECONDS });
  return result.valid && 'timeStep' in result ? result.timeStep : null;
}

export async function totpEnrolmentUris(secret: string, issuer: string, accountName: string) {
  const otpauthUrl = generateURI({ issuer, label: accountName, secret });
  const qrCodeDataUrl = await QRCode.toDataURL(otpauthUrl, { errorCorrectionLevel: 'M', margin: 2, width: 220 });
  return { otpauthUrl, qrCodeDataUrl };
}
