import { OUTCOME_UNKNOWN } from '@passman/contracts/job-rules';
import { isConnectorError } from '@passman/connectors';
import type { Tx } from '../../../db/transaction.js';
import { checkCredentials, checkFindings } from './check-runner.js';
import { currentOf, loadAccountContext } from './account-access.js';
import { recomputeAccountStatus } from './account-status.js';
import { applyChange, discardPending, loginFor, probe, promote, ResetRefused, type ResetSubject } from './reset-steps.js';
import type { RunInput, RunnerDeps, RunOutcome, StepRecord } from './run-context.js';

/**
 * Reset Credentials, a seven-step protocol. The pending version was stored
 * with the job before anything touched the target; `job.phase` says how far the target
 * side got, so a run after a crash resumes — or first finds out what happened:
 *   new      nothing sent yet          → apply
 *   applying the change may have been sent → probe new, then old
 *   applied  the target said it changed → verify with a fresh login
 *   promoted the vault already switched → remove the old key, done
 */
export async function runReset(deps: RunnerDeps, input: RunInput): Promise<RunOutcome> {
  try {
    return await runResetSteps(deps, input);
  } catch (error) {
    // Out of attempts (or a lasting error) while the target may already hold the new secret and
    // cannot be asked: failing would discard a secret that may be the only one that works. The
    // job waits unverified with both versions kept, and runs again until the target answers (or
    // until the recovery deadline, job-worker.ts `RECOVERY_DEADLINE_MS`).
    if (isConnectorError(error) && !(error.retryable && input.canRetry) && targetMayHaveChanged(input.journal.position().phase)) {
      return {
        state: 'unverified',
        accountStatus: { status: 'NotInSync', statusReason: error.code },
        errorCode: error.code,
        errorMessage: `The change may have been applied but cannot be confirmed (${error.message}); the new and the previous secret are both kept until the target answers`,
        steps: [{ step: 'recover', status: 'failed', detail: { code: error.code } }],
      };
    }
    throw error;
  }
}

/** `applying`: the change may have been sent; `applied`: the target said it changed, not yet verified. */
const targetMayHaveChanged = (phase: string) => phase === 'applying' || phase === 'applied';

async function runResetSteps(deps: RunnerDeps, input: RunInput): Promise<RunOutcome> {
  const subject = await loadSubject(deps, input);
  if (!subject) return { state: 'failed', errorCode: 'NOT_FOUND', errorMessage: 'The account or credential no longer exists' };
  const params = input.job.params as { changeOnTarget?: boolean };

  if (params.changeOnTarget === false) return vaultOnly(deps, input, subject);

  let phase = input.job.phase;
  if (phase === 'done') return { state: 'succeeded' };
  if (phase === 'applying' || phase === 'applied') {
    const settled = await recover(deps, input, subject);
    if (settled !== 'apply-again') return settled;
    phase = 'new';
  }
  if (phase === 'new') {
    await deps.faults.hit('after-pending');
    const applied = await apply(deps, input, subject);
    if (applied) return applied;
    await deps.faults.hit('after-applied');
    const verified = await verifyNew(deps, input, subject);
    if (verified) return verified;
    await deps.faults.hit('after-verified');
    const statusWritten = await promote(deps, input, subject, { changeOnTarget: true, verified: true }, [{ step: 'verify-new', status: 'done' }]);
    await deps.faults.hit('after-promoted');
    return { ...(await finish(deps, input, subject)), statusWritten };
  }
  return finish(deps, input, subject);
}

async function loadSubject(deps: RunnerDeps, input: RunInput): Promise<ResetSubject | null> {
  const { ctx } = input;
  const credential = ctx.account.credentials.find((c) => c.id === input.job.credentialId);
  const pending = credential?.versions.find((v) => v.id === input.job.pendingVersionId);
  if (!credential) return null;
  if (!pending) {
    // Promoted already (its version is CURRENT and matched above), or FAILED: reload any state.
    const row = await deps.repo.version(input.job.pendingVersionId ?? '');
    if (!row) return null;
    return { ctx, credential, pending: row, previous: currentOf(credential) };
  }
  let previous = credential.versions.find((v) => v.state === 'CURRENT' && v.id !== pending.id);
  if (!previous && pending.state === 'CURRENT') {
    // Promoted before a crash: the version it replaced is RETIRED now, and its key may still need removing.
    previous = (await deps.repo.lastRetiredBefore(credential.id, pending.version)) ?? undefined;
  }
  return { ctx, credential, pending, previous };
}

/** Sends the change. Returns an outcome when the job ends here, nothing when it should go on to verify. */
async function apply(deps: RunnerDeps, input: RunInput, subject: ResetSubject): Promise<RunOutcome | null> {
  await input.journal.advance({ phase: 'applying' }, [{ step: 'apply', status: 'started', detail: { type: subject.credential.type } }]);
  let via: string;
  try {
    ({ via } = await applyChange(deps, subject, () => void deps.faults.hit('apply-sent')));
  } catch (error) {
    if (isConnectorError(error) && error.outcomeUnknown) {
      await input.journal.step('apply', 'failed', { code: error.code, outcomeUnknown: true });
      const settled = await recover(deps, input, subject);
      return settled === 'apply-again' ? { state: 'failed', errorCode: error.code, errorMessage: error.message } : settled;
    }
    // Nothing reached the target: the pending value never became a password anywhere.
    await input.journal.advance({ phase: 'new' }, []);
    if (isConnectorError(error) && error.retryable && input.canRetry) throw error;
    const code = error instanceof ResetRefused || isConnectorError(error) ? error.code : 'INTERNAL';
    const message = error instanceof Error ? error.message : String(error);
    await discardPending(deps, input, subject, code);
    await markAccount(deps, subject, code);
    await input.journal.step('apply', 'failed', { code });
    return { state: 'failed', errorCode: code, errorMessage: message };
  }
  // Outside the try: a database error here must not be taken for "nothing reached the target".
  // Verification (step 5) starts at once: its first step goes with this one.
  await input.journal.advance({ phase: 'applied' }, [
    { step: 'apply', status: 'done', detail: { via } },
    { step: 'verify-new', status: 'started' },
  ]);
  return null;
}

/** Step 5: a fresh login with the new secret. Its success is recorded with the promotion that follows. */
async function verifyNew(deps: RunnerDeps, input: RunInput, subject: ResetSubject): Promise<RunOutcome | null> {
  if (await probe(deps, subject, subject.pending)) return null;
  await input.journal.step('verify-new', 'failed', { code: 'AUTH_REJECTED' });
  const settled = await recover(deps, input, subject);
  return settled === 'apply-again'
    ? {
        state: 'failed',
        errorCode: 'VERIFY_FAILED',
        errorMessage: 'The target accepted the change but not the new secret; the previous one still works and stays current',
      }
    : settled;
}

/**
 * Finds out which secret the target holds after an uncertain step: the new one (promote),
 * the old one (the change did not happen: apply again), or neither (keep both, unverified).
 * Unreachable targets give no verdict: the error goes up and the job is retried later.
 */
async function recover(deps: RunnerDeps, input: RunInput, subject: ResetSubject): Promise<RunOutcome | 'apply-again'> {
  await input.journal.advance({ state: 'unverified' }, [{ step: 'recover', status: 'started' }]);
  if (await probe(deps, subject, subject.pending)) {
    const statusWritten = await promote(deps, input, subject, { changeOnTarget: true, verified: true }, [
      { step: 'recover', status: 'done', detail: { holds: 'new' } },
    ]);
    return { ...(await finish(deps, input, subject)), statusWritten };
  }
  if (subject.previous && subject.credential.type !== 'PIN' && (await probe(deps, subject, subject.previous))) {
    await input.journal.advance({ state: 'running', phase: 'new' }, [{ step: 'recover', status: 'done', detail: { holds: 'previous' } }]);
    return 'apply-again';
  }
  await input.journal.step('recover', 'failed', { holds: 'neither' });
  return {
    state: 'unverified',
    accountStatus: { status: 'NotInSync', statusReason: OUTCOME_UNKNOWN },
    errorCode: OUTCOME_UNKNOWN,
    errorMessage: 'Neither the new nor the previous secret logs in; both are kept until one is confirmed',
  };
}

/** Step 6b: after promotion, remove the replaced key from authorized_keys (logged in with the new one). */
async function finish(deps: RunnerDeps, input: RunInput, subject: ResetSubject): Promise<RunOutcome> {
  const old = subject.previous;
  if (subject.credential.type === 'SSH_KEY' && old?.publicKey && old.publicKey !== subject.pending.publicKey) {
    await input.journal.step('remove-old-key', 'started', { fingerprint: old.fingerprint });
    try {
      await deps.connector.removeKey({
        target: subject.ctx.endpoint,
        login: loginFor(deps, subject.ctx, subject.credential, subject.pending),
        publicKey: old.publicKey,
      });
    } catch (error) {
      if (isConnectorError(error) && error.retryable && input.canRetry) throw error;
      const steps: StepRecord[] = [{ step: 'remove-old-key', status: 'failed', detail: { code: isConnectorError(error) ? error.code : 'INTERNAL' } }];
      return {
        state: 'succeeded',
        phase: 'done',
        steps,
        errorCode: 'OLD_KEY_NOT_REMOVED',
        errorMessage: 'The new key is in place, but the old one could not be removed from authorized_keys',
      };
    }
    // Written with the job's end. Removing a key that is gone already is harmless, so a crash before then only repeats it.
    return { state: 'succeeded', phase: 'done', steps: [{ step: 'remove-old-key', status: 'done' }] };
  }
  return { state: 'succeeded', phase: 'done' };
}

/** Change on target off: the vault copy is replaced, then checked; InSync again only if it works. */
async function vaultOnly(deps: RunnerDeps, input: RunInput, subject: ResetSubject): Promise<RunOutcome> {
  if (input.job.phase === 'new' || input.job.phase === 'applying') {
    await promote(deps, input, subject, { changeOnTarget: false, verified: false });
  }
  await input.journal.step('check', 'started');
  const ctx = await loadAccountContext(deps.repo, subject.ctx.account.id, deps.hostKeyTrust);
  if (!ctx) return { state: 'succeeded' };
  const results = await checkCredentials(deps, ctx, input.canRetry);
  const mine = results.find((r) => r.credentialId === subject.credential.id);
  return {
    state: 'succeeded',
    phase: 'done',
    ...checkFindings({ ...input, ctx }, results),
    steps: [{ step: 'check', status: mine?.ok === false ? 'failed' : 'done', detail: { ok: mine?.ok ?? null } }],
  };
}

async function markAccount(deps: RunnerDeps, subject: ResetSubject, code: string): Promise<void> {
  await deps.repo.transaction(async (repo, tx) => {
    if (code === 'AUTH_REJECTED' && subject.previous) {
      // Lock order (db/transaction.ts): the account before its credential.
      await repo.lockAccounts([subject.ctx.account.id]);
      await repo.recordCredentialFailure(subject.credential.id, code);
      await recomputeAccountStatus(repo, subject.ctx.account.id);
    } else if (code !== 'AUTH_REJECTED') {
      await markNotInSync(deps, subject.ctx.account.id, code, tx);
    }
  });
}

async function markNotInSync(deps: RunnerDeps, accountId: string, reason: string, tx?: Tx): Promise<void> {
  await (tx ? deps.repo.within(tx) : deps.repo).setAccountStatus(accountId, 'NotInSync', reason);
}
