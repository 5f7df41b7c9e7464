import { isConnectorError } from '@passman/connectors';
import { runInTransaction } from '../../../db/transaction.js';
import { createHostKeysRepo } from '../../host-keys/host-keys.repo.js';
import { currentOf, decryptVersion, loadAccountContext, loginWith, type AccountContext } from './account-access.js';
import { accountStatusOf } from './account-status.js';
import { workerContext, type RunInput, type RunnerDeps, type RunOutcome } from './run-context.js';

/** Codes that answer the question "does it log in?" with no — the check itself worked. */
const ANSWERS = new Set(['AUTH_REJECTED']);

export interface CheckResult {
  credentialId: string;
  type: 'PASSWORD' | 'SSH_KEY' | 'PIN';
  sshKeyType: string | null;
  ok: boolean;
  code: string | null;
}

/** Tries each checkable credential on the target; a retryable failure is rethrown while retries remain. */
export async function checkCredentials(deps: RunnerDeps, ctx: AccountContext, canRetry: boolean): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const credential of ctx.account.credentials) {
    const current = currentOf(credential);
    if (!current || credential.type === 'PIN') continue;
    const login = loginWith(ctx.account.username, credential.type, decryptVersion(deps.vault, current));
    let result: CheckResult = { credentialId: credential.id, type: credential.type, sshKeyType: credential.slot === 'password' ? null : credential.slot, ok: true, code: null };
    try {
      await deps.connector.verify({ target: ctx.endpoint, login });
    } catch (error) {
      if (!isConnectorError(error)) throw error;
      if (error.retryable && canRetry) throw error;
      if (error.code === 'HOST_KEY_UNPINNED' && typeof error.details.fingerprint === 'string') {
        // First contact: show the operator which key to approve.
        await createHostKeysRepo(deps.db).recordOffered(ctx.account.targetId, error.details as { algorithm: string; fingerprint: string; publicKey: string });
      }
      result = { ...result, ok: false, code: error.code };
    }
    results.push(result);
  }
  return results;
}

/** Stores per-credential results and the account status they imply, with the audit event. */
export async function saveCheckResults(deps: RunnerDeps, input: RunInput, ctx: AccountContext, results: CheckResult[]): Promise<void> {
  const at = new Date();
  await runInTransaction(deps.db, async (tx) => {
    for (const r of results) {
      await tx.credential.update({ where: { id: r.credentialId }, data: { lastCheckOk: r.ok, lastCheckCode: r.code, lastCheckedAt: at } });
    }
    // The results cover every checkable credential of the account, so they alone decide its status.
    const states = results.map((r) => ({ slot: r.type === 'PASSWORD' ? 'password' : (r.sshKeyType ?? ''), lastCheckOk: r.ok, lastCheckCode: r.code }));
    await tx.account.update({ where: { id: ctx.account.id }, data: { lastCheckedAt: at, ...accountStatusOf(states) } });
    await input.journal.update({ results: results.map((r) => ({ ...r })) }, tx);
    await deps.audit.record(
      workerContext(input.job),
      {
        action: 'credential.check',
        objectType: 'account',
        objectId: ctx.account.id,
        outcome: results.every((r) => r.ok) ? 'success' : 'failure',
        actorName: 'worker',
        details: { jobId: input.job.id, results: results.map((r) => ({ credentialId: r.credentialId, ok: r.ok, code: r.code })) },
      },
      tx,
    );
  });
}

export async function runCheck(deps: RunnerDeps, input: RunInput): Promise<RunOutcome> {
  const ctx = await loadAccountContext(deps.db, input.job.accountId);
  if (!ctx) return { state: 'failed', errorCode: 'NOT_FOUND', errorMessage: 'The account no longer exists' };
  const results = await checkCredentials(deps, ctx, input.canRetry);
  await saveCheckResults(deps, input, ctx, results);
  const broken = results.find((r) => !r.ok && !ANSWERS.has(r.code ?? ''));
  await input.journal.step('check', broken ? 'failed' : 'done', { ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length });
  if (results.length === 0) return { state: 'succeeded', errorCode: 'NO_CREDENTIALS', errorMessage: 'The account has no credential that can be checked' };
  return broken ? { state: 'failed', errorCode: broken.code ?? 'CHECK_FAILED', errorMessage: `Could not check: ${broken.code}` } : { state: 'succeeded' };
}
