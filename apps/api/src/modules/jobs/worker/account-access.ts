import { CREDENTIAL_SECRET_PURPOSE, type Vault } from '@passman/vault';
import type { Login, TargetEndpoint } from '@passman/connectors';
import type { DbClient } from '../../../db/transaction.js';

/** Everything a runner needs to reach an account: the target with its pinned host keys. */
export async function loadAccountContext(db: DbClient, accountId: string) {
  const account = await db.account.findUnique({
    where: { id: accountId },
    include: {
      target: { include: { hostKeys: { where: { status: 'APPROVED' }, select: { fingerprint: true } } } },
      credentials: { include: { versions: { where: { state: { in: ['CURRENT', 'PENDING'] } }, orderBy: { version: 'desc' } } } },
    },
  });
  if (!account) return null;
  const endpoint: TargetEndpoint = {
    host: account.target.address,
    port: account.target.port,
    hostKeyPins: account.target.hostKeys.map((k) => k.fingerprint),
  };
  return { account, endpoint };
}

export type AccountContext = NonNullable<Awaited<ReturnType<typeof loadAccountContext>>>;
export type CredentialWithVersions = AccountContext['account']['credentials'][number];
export type VersionRow = CredentialWithVersions['versions'][number];

export function decryptVersion(vault: Vault, version: VersionRow): string {
  return vault.decrypt(version, { credentialId: version.credentialId, version: version.version, purpose: CREDENTIAL_SECRET_PURPOSE }).toString('utf8');
}

/** A connector login for one credential version (PINs cannot log in). */
export function loginWith(username: string, type: 'PASSWORD' | 'SSH_KEY' | 'PIN', secret: string): Login {
  return type === 'SSH_KEY' ? { username, credential: { type: 'key', privateKey: secret } } : { username, credential: { type: 'password', password: secret } };
}

export const currentOf = (credential: CredentialWithVersions) => credential.versions.find((v) => v.state === 'CURRENT');
