import { isConnectorError } from '@passman/connectors';
import type { OfferedHostKey } from '../../host-keys/host-keys.repo.js';
import { openedSecret } from '../../credentials/secret-material.js';
import { currentOf, loginWith, type AccountContext } from './account-access.js';
import type { CheckResult, RunInput, RunnerDeps, RunOutcome, StepRecord } from './run-context.js';

/** Codes that answer the question "does it log in?" with no — the check itself worked. */
const ANSWERS = new Set(['AUTH_REJECTED']);

/** Tries each checkable credential on the target; a retryable failure is rethrown while retries remain. */
export async function checkCredentials(deps: RunnerDeps, ctx: AccountContext, canRetry: boolean): Promise<CheckResult[]> {
  const results: CheckResult[] = [];
  for (const credential of ctx.account.credentials) {
    const current = currentOf(credential);
    if (!current || credential.type === 'PIN') continue;
    const login = loginWith(ctx.account.username, credential.type, openedSecret(deps.vault, current));
    let result: CheckResult = {
      credentialId: credential.id,
      type: credential.type,
      sshKeyType: credential.slot === 'password' ? null : credential.slot,
      ok: true,
      code: null,
    };
    try {
      await deps.connector.verify({ target: ctx.endpoint, login });
    } catch (error) {
      if (!isConnectorError(error)) throw error;
      if (error.retryable && canRetry) throw error;
      if (error.code === 'HOST_KEY_UNPINNED' && typeof error.details.fingerprint === 'string') {
        // First contact: show the operator which key to approve.
        await deps.hostKeys.recordOffered(ctx.account.targetId, error.details as unknown as OfferedHostKey, {
          address: ctx.account.target.address,
          port: ctx.account.target.port,
        });
      }
      result = { ...result, ok: false, code: error.code };
    }
    results.push(result);
  }
  return results;
}

/** What a check leaves behind, written with the job's end: results per credential, the account's status, the audit event. */
export function checkFindings(input: RunInput, results: CheckResult[]): Required<Pick<RunOutcome, 'check' | 'audit'>> {
  return {
    check: { checkedAt: new Date(), results },
    audit: {
      action: 'credential.check',
      objectType: 'account',
      objectId: input.ctx.account.id,
      outcome: results.every((r) => r.ok) ? 'success' : 'failure',
      actorName: 'worker',
      details: { jobId: input.job.id, results: results.map((r) => ({ credentialId: r.credentialId, ok: r.ok, code: r.code })) },
    },
  };
}

export async function runCheck(deps: RunnerDeps, input: RunInput): Promise<RunOutcome> {
  const results = await checkCredentials(deps, input.ctx, input.canRetry);
  const broken = results.find((r) => !r.ok && !ANSWERS.has(r.code ?? ''));
  const steps: StepRecord[] = [
    { step: 'check', status: broken ? 'failed' : 'done', detail: { ok: results.filter((r) => r.ok).length, failed: results.filter((r) => !r.ok).length } },
  ];
  const findings = { ...checkFindings(input, results), steps };
  if (results.length === 0)
    return { state: 'succeeded', errorCode: 'NO_CREDENTIALS', errorMessage: 'The account has no credential that can be checked', ...findings };
  return broken
    ? { state: 'failed', errorCode: broken.code ?? 'CHECK_FAILED', errorMessage: `Could not check: ${broken.code}`, ...findings }
    : { state: 'succeeded', ...findings };
}
