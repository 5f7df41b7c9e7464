import { isConnectorError, type KeyChangeMethod, type Login, type PasswordChangeMethod } from '@passman/connectors';
import { openedSecret } from '../../credentials/secret-material.js';
import { currentOf, loginWith, type AccountContext, type CredentialWithVersions, type VersionRow } from './account-access.js';
import type { AccountStatusValue, RunInput, RunnerDeps, StepRecord } from './run-context.js';

export interface ResetSubject {
  ctx: AccountContext;
  credential: CredentialWithVersions;
  pending: VersionRow;
  /** The version the reset replaces (absent for a credential's first value). */
  previous: VersionRow | undefined;
}

export function loginFor(deps: RunnerDeps, ctx: AccountContext, credential: CredentialWithVersions, version: VersionRow): Login {
  return loginWith(ctx.account.username, credential.type, openedSecret(deps.vault, version));
}

/** Logins of the account itself that may work, best first: the credential's own current value, then its other credentials. */
function ownLogins(deps: RunnerDeps, subject: ResetSubject): Login[] {
  const { ctx, credential, previous } = subject;
  const others = ctx.account.credentials.filter((c) => c.id !== credential.id && c.type !== 'PIN' && currentOf(c));
  return [
    ...(previous && credential.type !== 'PIN' ? [loginFor(deps, ctx, credential, previous)] : []),
    ...others.map((c) => loginFor(deps, ctx, c, currentOf(c)!)),
  ];
}

/** The target's managing account, when it names one with a current password or key. */
async function managingLogin(deps: RunnerDeps, ctx: AccountContext): Promise<{ login: Login; password?: string; root: boolean } | null> {
  const managingId = ctx.account.target.managingAccountId;
  if (!managingId || managingId === ctx.account.id) return null;
  const manager = await deps.repo.managingAccount(managingId);
  const credential =
    manager?.credentials.find((c) => c.type === 'PASSWORD' && c.versions[0]) ?? manager?.credentials.find((c) => c.type === 'SSH_KEY' && c.versions[0]);
  if (!manager || !credential) return null;
  const secret = openedSecret(deps.vault, credential.versions[0]!);
  return {
    login: loginWith(manager.username, credential.type, secret),
    password: credential.type === 'PASSWORD' ? secret : undefined,
    root: manager.username === 'root',
  };
}

/**
 * Sends the change to the target. Passwords: the account's own `passwd` with its current
 * password, or, when that is refused (the reconcile case), the managing account's chpasswd.
 * Keys: appended to authorized_keys as the account — logged in with a credential of its own that
 * works, or, when none does, through the managing account (`sudo -u`, or `su` as root).
 */
export async function applyChange(deps: RunnerDeps, subject: ResetSubject, onChangeSent: () => void): Promise<{ via: string }> {
  const { ctx, credential, pending } = subject;
  const newSecret = openedSecret(deps.vault, pending);
  const options = { onChangeSent };

  if (credential.type === 'PASSWORD') {
    const own = subject.previous ? openedSecret(deps.vault, subject.previous) : undefined;
    if (own !== undefined) {
      try {
        await deps.connector.changePassword(
          { target: ctx.endpoint, username: ctx.account.username, newPassword: newSecret, via: { method: 'self', currentPassword: own } },
          options,
        );
        return { via: 'self' };
      } catch (error) {
        if (!isConnectorError(error, 'AUTH_REJECTED') || error.outcomeUnknown) throw error;
      }
    }
    const manager = await managingLogin(deps, ctx);
    if (!manager) throw new ResetRefused('AUTH_REJECTED', 'The stored password no longer logs in and the target has no managing account to change it with');
    const via: PasswordChangeMethod = manager.root
      ? { method: 'root', login: manager.login }
      : { method: 'sudo', login: manager.login, sudoPassword: manager.password };
    await deps.connector.changePassword({ target: ctx.endpoint, username: ctx.account.username, newPassword: newSecret, via }, options);
    return { via: via.method };
  }

  const publicKey = pending.publicKey!;
  const own = ownLogins(deps, subject);
  for (const login of own) {
    try {
      await deps.connector.installKey({ target: ctx.endpoint, login, publicKey }, options);
      return { via: 'self' };
    } catch (error) {
      if (!isConnectorError(error, 'AUTH_REJECTED') || error.outcomeUnknown) throw error;
    }
  }
  // None of the account's own credentials logs in: the managing account installs the key as the user.
  const manager = await managingLogin(deps, ctx);
  if (!manager) {
    throw own.length === 0
      ? new ResetRefused('NO_LOGIN', 'The account has no credential PassMan could log in with to install the key, and the target has no managing account')
      : new ResetRefused('AUTH_REJECTED', 'No stored credential of the account logs in, and the target has no managing account to install the key with');
  }
  const via: KeyChangeMethod = manager.root
    ? { method: 'root', login: manager.login }
    : { method: 'sudo', login: manager.login, sudoPassword: manager.password };
  await deps.connector.installKey({ target: ctx.endpoint, username: ctx.account.username, publicKey, via }, options);
  return { via: via.method };
}

/** A reset that cannot proceed for a reason no retry will fix. */
export class ResetRefused extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** Logs in with a fresh connection using the given version: does the target accept it? */
export async function probe(deps: RunnerDeps, subject: ResetSubject, version: VersionRow): Promise<boolean> {
  try {
    await deps.connector.verify({ target: subject.ctx.endpoint, login: loginFor(deps, subject.ctx, subject.credential, version) });
    return true;
  } catch (error) {
    if (isConnectorError(error, 'AUTH_REJECTED')) return false;
    throw error; // unreachable, timeout …: inconclusive, never a verdict
  }
}

/**
 * PENDING → CURRENT and the old CURRENT → RETIRED, status and compliance recomputed, audited:
 * committed when this returns (promotions.ts), with the account's status as it was written.
 */
export async function promote(
  deps: RunnerDeps,
  input: RunInput,
  subject: ResetSubject,
  details: { changeOnTarget: boolean; verified: boolean },
  stepsBefore: StepRecord[] = [],
): Promise<AccountStatusValue> {
  return deps.promotions.promote({
    job: input.job,
    journal: input.journal,
    accountId: subject.ctx.account.id,
    credentialId: subject.credential.id,
    pendingId: subject.pending.id,
    version: subject.pending.version,
    previousId: subject.previous?.id ?? null,
    previousVersion: subject.previous?.version ?? null,
    ...details,
    steps: stepsBefore,
  });
}

/** The pending secret did not take: mark it FAILED, keep the current one. */
export async function discardPending(deps: RunnerDeps, input: RunInput, subject: ResetSubject, reason: string): Promise<void> {
  await deps.repo.transaction(async (repo, tx) => {
    await repo.failVersion(subject.pending.id);
    await input.journal.advance({ phase: 'new' }, [{ step: 'discard-pending', status: 'done', detail: { reason } }], tx);
  });
}
