import { appendFileSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createPrismaClient } from '@passman/db';
import { createMasterKeyRing, createVault, CREDENTIAL_SECRET_PURPOSE } from '@passman/vault';
import sshpk from 'sshpk';

/**
 * The run-wide "no secret in any log line" check. Test APIs record their master keys and
 * every log line under PASSMAN_TEST_LEAK_DIR; after the run, every credential version in the
 * run's database is decrypted and each secret searched for in every line.
 */
const dir = () => process.env.PASSMAN_TEST_LEAK_DIR;

export function recordMasterKey(key: Buffer): void {
  const base = dir();
  if (!base) return;
  mkdirSync(join(base, 'keys'), { recursive: true });
  writeFileSync(join(base, 'keys', `${process.pid}-${Date.now()}-${Math.random().toString(36).slice(2)}.key`), key.toString('base64'), { mode: 0o600 });
}

export function recordLogLine(line: string): void {
  const base = dir();
  if (!base) return;
  mkdirSync(join(base, 'logs'), { recursive: true });
  appendFileSync(join(base, 'logs', `${process.pid}.log`), line.endsWith('\n') ? line : `${line}\n`);
}

/**
 * A private key's secret numbers (base64 and hex), so a key leaked in any encoding is found.
 * (Its PEM lines cannot be searched: they embed the public key, which may be shown.)
 */
export function privateParts(text: string): string[] {
  if (!text.includes('PRIVATE KEY')) return [];
  try {
    const key = sshpk.parsePrivateKey(text, 'auto');
    return key.parts
      .filter((part) => ['d', 'p', 'q', 'x', 'k'].includes(part.name))
      .flatMap((part) => {
        const bytes = Buffer.from(part.data).subarray(-32);
        return [bytes.toString('base64').slice(0, 40), bytes.toString('hex')];
      });
  } catch {
    return [];
  }
}

export async function findSecretLeaks(databaseUrl: string): Promise<{ secrets: number; lines: number; leaked: number }> {
  const base = dir();
  if (!base) return { secrets: 0, lines: 0, leaked: 0 };
  const read = (sub: string) => {
    try {
      return readdirSync(join(base, sub)).map((f) => readFileSync(join(base, sub, f), 'utf8'));
    } catch {
      return [];
    }
  };
  const vaults = read('keys').map((k) => createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, Buffer.from(k, 'base64')]]), activeVersion: 1 }) }));
  const logs = read('logs').join('');
  const db = createPrismaClient(databaseUrl, { max: 2 });
  const secrets: string[] = [];
  try {
    const versions = await db.credentialVersion.findMany({
      select: { credentialId: true, version: true, ciphertext: true, wrappedKey: true, keyVersion: true },
    });
    for (const v of versions) {
      for (const vault of vaults) {
        try {
          const secret = vault.decrypt(v, { credentialId: v.credentialId, version: v.version, purpose: CREDENTIAL_SECRET_PURPOSE }).toString('utf8');
          secrets.push(secret, ...privateParts(secret));
          break;
        } catch {
          // another test API's key
        }
      }
    }
  } finally {
    await db.$disconnect();
  }
  const leaked = leakedSecrets(secrets, logs, 6);
  return { secrets: secrets.length, lines: logs.split('\n').length, leaked: leaked.length };
}

/**
 * The secrets that occur in the haystack. A short secret (a PIN, a 4-character value) turns up
 * by chance inside ids, hex and timestamps in any log; one that leaks stands alone (quoted, or
 * between words), so for those only that counts.
 */
export function leakedSecrets(secrets: readonly string[], haystack: string, minLength: number): string[] {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const appears = (secret: string) =>
    secret.length >= 12 && !/^\d+$/.test(secret) ? haystack.includes(secret) : new RegExp(`(?<![0-9A-Za-z])${escape(secret)}(?![0-9A-Za-z])`).test(haystack);
  return secrets.filter((secret) => secret.length >= minLength && appears(secret));
}
