import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ResetRequestSchema } from '@passman/contracts';
import { createTestApi, type TestApi } from '../../../test/harness.js';
import { createAccount, createCredential, factoryContext } from '../../../test/factories.js';
import { lapseLease } from '../jobs.test-util.js';
import { createLogger } from '../../../lib/logger.js';
import { createJobJournal } from './job-journal.js';
import { JobLostError } from './job-lost-error.js';
import { createPromotions } from './promotions.js';
import { createQueueRepo } from './queue.repo.js';
import type { AccountJobRecord } from './run-context.js';
import { createWorkerRepo } from './worker.repo.js';

// Step 6 of resets written for several jobs in one transaction, against real PostgreSQL: each
// run that still holds its job gets its promotion; one whose job another worker took writes
// nothing and learns it, without holding up the others.

let pm: TestApi;

beforeAll(async () => {
  pm = await createTestApi();
});
afterAll(async () => {
  await pm?.close();
});

async function pendingReset() {
  const account = await createAccount(pm);
  const credential = await createCredential(pm, account.id);
  const job = await pm.services.jobs.requestReset(factoryContext(), account.id, ResetRequestSchema.parse({ credentialType: 'PASSWORD', generate: true }));
  const row = await pm.db.job.findUniqueOrThrow({ where: { id: job.id } });
  return { accountId: account.id, credentialId: credential.id, jobId: job.id, pendingId: row.pendingVersionId! };
}

/** Step 6 of `r` as a run in attempt 1 that verified the new secret asks for it (`current`: the versions it replaces). */
function promotionOf(
  r: Awaited<ReturnType<typeof pendingReset>>,
  journal: ReturnType<typeof createJobJournal>,
  current: { credentialId: string; id: string; version: number }[],
) {
  const previous = current.find((v) => v.credentialId === r.credentialId)!;
  return {
    job: { id: r.jobId, attempts: 1, state: 'running', phase: 'applied' } as AccountJobRecord,
    journal,
    accountId: r.accountId,
    credentialId: r.credentialId,
    pendingId: r.pendingId,
    version: 2,
    previousId: previous.id,
    previousVersion: previous.version,
    changeOnTarget: true,
    verified: true,
    steps: [{ step: 'verify-new', status: 'done' as const }],
  };
}

describe('promotions written together', () => {
  it('promote the runs that hold their job in one transaction; a run whose job was taken writes nothing and gets JobLostError', async () => {
    const resets = [await pendingReset(), await pendingReset(), await pendingReset()];
    const queueRepo = createQueueRepo(pm.db);
    const claimed = await queueRepo.claim({ queue: pm.queue.name, workerId: 'wa', workerPid: 1, max: 3, leaseMs: 60_000 });
    expect(claimed.sort()).toEqual(resets.map((r) => r.jobId).sort());
    // The third reset's run stalls past its lease and worker B claims the job.
    const lost = resets[2]!;
    await lapseLease(pm, lost.jobId);
    expect(await queueRepo.claim({ queue: pm.queue.name, workerId: 'wb', workerPid: 2, max: 3, leaseMs: 60_000 })).toEqual([lost.jobId]);

    const repo = createWorkerRepo(pm.db);
    let transactions = 0;
    const counted = { ...repo, transaction: ((fn) => (transactions++, repo.transaction(fn))) as typeof repo.transaction };
    const promotions = createPromotions({ repo: counted, audit: pm.services.audit, logger: createLogger({ level: 'silent' }) }, { workerId: 'wa' });
    const versionsBefore = await pm.db.credentialVersion.findMany({ where: { credentialId: { in: resets.map((r) => r.credentialId) }, state: 'CURRENT' } });

    const journals = new Map<string, ReturnType<typeof createJobJournal>>();
    const outcomes = await Promise.allSettled(
      resets.map(async (r) => {
        // The run as worker A started it: attempt 1.
        const job = { id: r.jobId, attempts: 1, state: 'running', phase: 'applied' } as AccountJobRecord;
        const journal = createJobJournal(repo, job, { workerId: 'wa', attempt: 1 });
        journals.set(r.jobId, journal);
        return promotions.promote(promotionOf(r, journal, versionsBefore));
      }),
    );
    await promotions.drain();

    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'fulfilled', 'rejected']);
    // Each promoted run learns the status its account was left in: the fresh login proved its only credential.
    expect(outcomes.slice(0, 2).map((o) => (o as PromiseFulfilledResult<string>).value)).toEqual(['InSync', 'InSync']);
    expect((outcomes[2] as PromiseRejectedResult).reason).toBeInstanceOf(JobLostError);
    // The three came in one tick: one transaction wrote the two promotions and found the third run's job taken.
    expect(transactions).toBe(1);

    for (const r of resets) {
      const promoted = r !== lost;
      const versions = await pm.db.credentialVersion.findMany({ where: { credentialId: r.credentialId }, orderBy: { version: 'asc' } });
      expect(versions.map((v) => v.state)).toEqual(promoted ? ['RETIRED', 'CURRENT'] : ['CURRENT', 'PENDING']);
      const account = await pm.db.account.findUniqueOrThrow({ where: { id: r.accountId } });
      expect(account.lastChangedAt !== null).toBe(promoted);
      const credential = await pm.db.credential.findUniqueOrThrow({ where: { id: r.credentialId } });
      expect(credential.lastCheckOk).toBe(promoted ? true : null);
      const job = await pm.db.job.findUniqueOrThrow({ where: { id: r.jobId }, include: { steps: { orderBy: { id: 'asc' } } } });
      expect(job.phase).toBe(promoted ? 'promoted' : 'new');
      expect(job.steps.map((s) => s.step).slice(-2)).toEqual(promoted ? ['verify-new', 'promote'] : expect.not.arrayContaining(['promote']));
      // The run's own idea of where it got to follows what was committed.
      expect(journals.get(r.jobId)!.position().phase).toBe(promoted ? 'promoted' : 'applied');
      const audited = await pm.db.auditEvent.count({ where: { action: 'credential.reset', objectId: r.credentialId } });
      expect(audited).toBe(promoted ? 1 : 0);
    }
    // Worker B's claim is untouched: the job is its own to run.
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: lost.jobId } })).toMatchObject({ lockedBy: 'wb', attempts: 2 });
  });

  it('a group that fails after advancing its jobs rolls back whole, each promotion is written again alone, and a run learns the phase only once it was committed', async () => {
    const resets = [await pendingReset(), await pendingReset()];
    const queueRepo = createQueueRepo(pm.db);
    expect((await queueRepo.claim({ queue: pm.queue.name, workerId: 'wc', workerPid: 3, max: 2, leaseMs: 60_000 })).sort()).toEqual(
      resets.map((r) => r.jobId).sort(),
    );
    const repo = createWorkerRepo(pm.db);
    let transactions = 0;
    const counted = { ...repo, transaction: ((fn) => (transactions++, repo.transaction(fn))) as typeof repo.transaction };
    // The audit append fails for the group, and again for the first promotion written alone:
    // everything written before it in the same transaction must go too.
    let appends = 0;
    const audit = {
      ...pm.services.audit,
      recordMany: ((...args: Parameters<typeof pm.services.audit.recordMany>) => {
        appends += 1;
        if (appends <= 2) throw new Error('the audit chain is unavailable');
        return pm.services.audit.recordMany(...args);
      }) as typeof pm.services.audit.recordMany,
    };
    const promotions = createPromotions({ repo: counted, audit, logger: createLogger({ level: 'silent' }) }, { workerId: 'wc' });
    const versionsBefore = await pm.db.credentialVersion.findMany({ where: { credentialId: { in: resets.map((r) => r.credentialId) }, state: 'CURRENT' } });
    const journals = resets.map((r) =>
      createJobJournal(repo, { id: r.jobId, attempts: 1, state: 'running', phase: 'applied' } as AccountJobRecord, { workerId: 'wc', attempt: 1 }),
    );
    const outcomes = await Promise.allSettled(resets.map((r, i) => promotions.promote(promotionOf(r, journals[i]!, versionsBefore))));
    await promotions.drain();

    expect(outcomes.map((o) => o.status)).toEqual(['rejected', 'fulfilled']);
    // One group that failed, then one transaction for each promotion alone.
    expect(transactions).toBe(3);
    for (const [i, r] of resets.entries()) {
      const promoted = i === 1;
      const job = await pm.db.job.findUniqueOrThrow({ where: { id: r.jobId }, include: { steps: { orderBy: { id: 'asc' } } } });
      expect(job.phase).toBe(promoted ? 'promoted' : 'new');
      // The failed transactions' steps were rolled back with them: a promotion's step is there once, or not at all.
      expect(job.steps.filter((s) => s.step === 'promote')).toHaveLength(promoted ? 1 : 0);
      expect(await pm.db.auditEvent.count({ where: { action: 'credential.reset', objectId: r.credentialId } })).toBe(promoted ? 1 : 0);
      const versions = await pm.db.credentialVersion.findMany({ where: { credentialId: r.credentialId }, orderBy: { version: 'asc' } });
      expect(versions.map((v) => v.state)).toEqual(promoted ? ['RETIRED', 'CURRENT'] : ['CURRENT', 'PENDING']);
      // A run's journal tells what was committed: the one whose promotion was rolled back is where it was.
      expect(journals[i]!.position().phase).toBe(promoted ? 'promoted' : 'applied');
    }
  });
});
