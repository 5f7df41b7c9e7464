/**
 * Detects a wrong master key at start, before anything is written with it.
 *
 * For each master key version, a known canary is sealed under that key (AES-256-GCM,
 * AAD binding the version). The API stores the result (a short JSON string) in the
 * database on first start; on later starts `verifyKeyCheck` opens each canary whose
 * version is loaded. A key that fails, or a ring sharing no version with the stored
 * check, means the vault cannot read its data: PassMan then starts sealed.
 */
import { encodeAad, type EnvelopeContext } from './aad.js';
import { gcmOpen, gcmSeal } from './aes-gcm.js';
import type { MasterKeyRing } from './master-key-ring.js';
import { VaultError } from './vault-error.js';

const CANARY = Buffer.from('passman master key check v1', 'utf8');
const FORMAT = 1;

export interface KeyCheckResult {
  /** True when every loaded version present in the check opened it, and at least one did. */
  ok: boolean;
  /** Why not ok: a loaded key differs from the one recorded, or no loaded key could be checked. */
  code?: 'MASTER_KEY_MISMATCH' | 'MASTER_KEY_UNVERIFIABLE';
  /** Loaded versions whose canary opened. */
  verified: number[];
  /** Loaded versions whose canary did not open: the wrong key under that version number. */
  mismatched: number[];
  /** Loaded versions the stored check does not know yet (new keys): store a fresh check once ok. */
  unrecorded: number[];
  /** Versions in the stored check that are not loaded (retired keys, or a key missing by mistake). */
  notLoaded: number[];
}

/** A storable check covering every version in the ring. */
export function createKeyCheck(keyRing: MasterKeyRing): string {
  const checks: Record<string, string> = {};
  for (const version of keyRing.versions) {
    checks[String(version)] = gcmSeal(keyRing.keyFor(version), CANARY, aadFor(version)).toString('base64');
  }
  return JSON.stringify({ format: FORMAT, checks });
}

export function verifyKeyCheck(keyRing: MasterKeyRing, stored: string): KeyCheckResult {
  const checks = parse(stored);
  const result: KeyCheckResult = { ok: false, verified: [], mismatched: [], unrecorded: [], notLoaded: [] };
  for (const version of keyRing.versions) {
    const sealed = checks.get(version);
    if (!sealed) {
      result.unrecorded.push(version);
      continue;
    }
    const opened = gcmOpen(keyRing.keyFor(version), sealed, aadFor(version));
    (opened?.equals(CANARY) ? result.verified : result.mismatched).push(version);
  }
  for (const version of checks.keys()) if (!keyRing.has(version)) result.notLoaded.push(version);
  if (result.mismatched.length > 0) result.code = 'MASTER_KEY_MISMATCH';
  else if (result.verified.length === 0) result.code = 'MASTER_KEY_UNVERIFIABLE';
  else result.ok = true;
  return result;
}

function aadFor(version: number): Buffer {
  const ctx: EnvelopeContext = { credentialId: 'master-key-check', version, purpose: 'key-check' };
  return encodeAad('passman.key-check', ctx, version);
}

function parse(stored: string): Map<number, Buffer> {
  const invalid = () => new VaultError('KEY_CHECK_INVALID', 'the stored master key check is not in a known format');
  let value: unknown;
  try {
    value = JSON.parse(stored);
  } catch {
    throw invalid();
  }
  if (typeof value !== 'object' || value === null) throw invalid();
  const { format, checks } = value as { format?: unknown; checks?: unknown };
  if (format !== FORMAT || typeof checks !== 'object' || checks === null) throw invalid();
  const out = new Map<number, Buffer>();
  for (const [key, sealed] of Object.entries(checks)) {
    const version = Number(key);
    if (!Number.isInteger(version) || version < 1 || typeof sealed !== 'string') throw invalid();
    out.set(version, Buffer.from(sealed, 'base64'));
  }
  return out;
}
