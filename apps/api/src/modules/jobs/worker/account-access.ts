import type { Login, TargetEndpoint } from '@passman/connectors';
import type { DbClient } from '../../../db/transaction.js';
import { createWorkerRepo, type WorkerRepo } from './worker.repo.js';

type AccountWithContext = NonNullable<Awaited<ReturnType<WorkerRepo['loadAccount']>>>;

/** Everything a runner needs to reach an account: the target endpoint with its pinned host keys. */
export function toAccountContext(account: AccountWithContext) {
  const endpoint: TargetEndpoint = {
    host: account.target.address,
    port: account.target.port,
    hostKeyPins: account.target.hostKeys.map((k) => k.fingerprint),
  };
  return { account, endpoint };
}

/** Reads the account again (after a change of its credentials). */
export async function loadAccountContext(db: DbClient, accountId: string) {
  const account = await createWorkerRepo(db).loadAccount(accountId);
  return account ? toAccountContext(account) : null;
}

export type AccountContext = ReturnType<typeof toAccountContext>;
export type CredentialWithVersions = AccountContext['account']['credentials'][number];
export type VersionRow = CredentialWithVersions['versions'][number];

/** A connector login for one credential version (PINs cannot log in). */
export function loginWith(username: string, type: 'PASSWORD' | 'SSH_KEY' | 'PIN', secret: string): Login {
  return type === 'SSH_KEY' ? { username, credential: { type: 'key', privateKey: secret } } : { username, credential: { type: 'password', password: secret } };
}

export const currentOf = (credential: CredentialWithVersions) => credential.versions.find((v) => v.state === 'CURRENT');
