/**
 * Canonical associated data (AAD) for AES-GCM.
 *
 * GCM authenticates the AAD without storing it, so a ciphertext only opens when the
 * reader supplies the same context the writer used: a record copied onto another
 * credential or version, or a data key copied onto another record, fails to decrypt.
 *
 * Encoding (all integers big-endian):
 *   u8  AAD format (1)
 *   str label      ("passman.data" | "passman.data-key" | "passman.key-check")
 *   str purpose
 *   str credentialId
 *   u32 version
 *   [u32 master key version — data-key AAD only]
 * where `str` is u16 byte length + UTF-8 bytes. Length prefixes make the encoding
 * injective (no two contexts share bytes), and the label separates the domains so a
 * wrapped data key can never be accepted as a data ciphertext or vice versa.
 */
import { VaultError } from './vault-error.js';

export interface EnvelopeContext {
  /** The credential row id (a UUID in PassMan, but any non-empty string works). */
  readonly credentialId: string;
  /** The credential version number the secret belongs to. */
  readonly version: number;
  /** What the secret is for, e.g. `credential-secret`; lower-case, [a-z0-9._-]. */
  readonly purpose: string;
}

/** The purpose PassMan uses for the secret of a credential version. */
export const CREDENTIAL_SECRET_PURPOSE = 'credential-secret';

const AAD_FORMAT = 1;
const PURPOSE_PATTERN = /^[a-z0-9][a-z0-9._-]{0,63}$/;
const MAX_ID_BYTES = 255;
const MAX_U32 = 0xffff_ffff;

export type AadLabel = 'passman.data' | 'passman.data-key' | 'passman.key-check';

export function assertContext(ctx: EnvelopeContext): void {
  if (ctx === null || typeof ctx !== 'object') {
    throw new VaultError('CONTEXT_INVALID', 'encryption context must be an object');
  }
  const { credentialId, version, purpose } = ctx;
  if (typeof credentialId !== 'string' || credentialId.length === 0 || Buffer.byteLength(credentialId) > MAX_ID_BYTES) {
    throw new VaultError('CONTEXT_INVALID', `credentialId must be a non-empty string of at most ${MAX_ID_BYTES} bytes`);
  }
  if (!isU32(version)) {
    throw new VaultError('CONTEXT_INVALID', 'version must be an integer from 0 to 2^32-1');
  }
  if (typeof purpose !== 'string' || !PURPOSE_PATTERN.test(purpose)) {
    throw new VaultError('CONTEXT_INVALID', 'purpose must match [a-z0-9][a-z0-9._-]{0,63}');
  }
}

export function isU32(n: unknown): n is number {
  return typeof n === 'number' && Number.isInteger(n) && n >= 0 && n <= MAX_U32;
}

export function encodeAad(label: AadLabel, ctx: EnvelopeContext, masterKeyVersion?: number): Buffer {
  const parts: Buffer[] = [Buffer.from([AAD_FORMAT]), str(label), str(ctx.purpose), str(ctx.credentialId), u32(ctx.version)];
  if (masterKeyVersion !== undefined) parts.push(u32(masterKeyVersion));
  return Buffer.concat(parts);
}

function str(s: string): Buffer {
  const bytes = Buffer.from(s, 'utf8');
  const len = Buffer.alloc(2);
  len.writeUInt16BE(bytes.length);
  return Buffer.concat([len, bytes]);
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}
