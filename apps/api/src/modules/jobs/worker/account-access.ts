import type { Login, TargetEndpoint } from '@passman/connectors';
import type { HostKeyTrust } from '../../host-keys/host-key-trust.js';
import type { WorkerRepo } from './worker.repo.js';

type AccountWithContext = NonNullable<Awaited<ReturnType<WorkerRepo['loadAccount']>>>;

/**
 * Everything a runner needs to reach an account: the target endpoint with its pinned host keys —
 * only keys whose signed approval holds for the target's current address and port
 * (host-key-trust.ts). `forgedPins` are APPROVED rows without a valid signature: written to the
 * database behind PassMan's back, or approved before approvals were signed; never trusted.
 */
export function toAccountContext(account: AccountWithContext, trust: HostKeyTrust) {
  const { target } = account;
  const approval = (fingerprint: string) => ({ targetId: target.id, fingerprint, address: target.address, port: target.port });
  const signed = target.hostKeys.filter((k) => trust.verifies(approval(k.fingerprint), k.approvalMac));
  const endpoint: TargetEndpoint = { host: target.address, port: target.port, hostKeyPins: signed.map((k) => k.fingerprint) };
  const forgedPins = target.hostKeys.filter((k) => !signed.includes(k)).map((k) => k.fingerprint);
  return { account, endpoint, forgedPins };
}

/** Reads the account again (after a change of its credentials). */
export async function loadAccountContext(repo: Pick<WorkerRepo, 'loadAccount'>, accountId: string, trust: HostKeyTrust) {
  const account = await repo.loadAccount(accountId);
  return account ? toAccountContext(account, trust) : null;
}

export type AccountContext = ReturnType<typeof toAccountContext>;
export type CredentialWithVersions = AccountContext['account']['credentials'][number];
export type VersionRow = CredentialWithVersions['versions'][number];

/** A connector login for one credential version (PINs cannot log in). */
export function loginWith(username: string, type: 'PASSWORD' | 'SSH_KEY' | 'PIN', secret: string): Login {
  return type === 'SSH_KEY' ? { username, credential: { type: 'key', privateKey: secret } } : { username, credential: { type: 'password', password: secret } };
}

export const currentOf = (credential: CredentialWithVersions) => credential.versions.find((v) => v.state === 'CURRENT');
