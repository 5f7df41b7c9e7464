import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ResetRequestSchema } from '@passman/contracts';
import { reserveClosedPort, type ClosedPort } from '@passman/testkit';
import { createTestApi, type TestApi } from '../../../test/harness.js';
import { createAccount, createCredential, createTarget, factoryContext } from '../../../test/factories.js';
import { waitUntil } from '../../../test/wait-until.js';
import { lapseLease } from '../jobs.test-util.js';
import type { CrashPoint } from './fault-injection.js';
import { createQueueRepo } from './queue.repo.js';
import { createWorkerRepo } from './worker.repo.js';

// A worker that stalls past its lease (a long GC pause, a network stall) while another worker
// claims its job: once it wakes up the job is no longer its own. Its run stops at its next write —
// before it sends anything to the target — says so in the log, and leaves the job to the run
// that holds it now.

let pm: TestApi;
let closed: ClosedPort;

beforeAll(async () => {
  [pm, closed] = await Promise.all([createTestApi(), reserveClosedPort()]);
});
afterAll(async () => {
  await pm?.close();
  closed?.release();
});

/** A point of a reset where the worker stalls until `wake()`; `reached` resolves when it gets there. */
function stallAt(point: CrashPoint) {
  let reachedIt!: () => void;
  let wake!: () => void;
  const reached = new Promise<void>((resolve) => (reachedIt = resolve));
  const woken = new Promise<void>((resolve) => (wake = resolve));
  const faults = {
    hit: async (at: CrashPoint) => {
      if (at !== point) return;
      reachedIt();
      await woken;
    },
  };
  return { faults, reached, wake };
}

describe('a worker stalled past its lease while another worker claimed its job', () => {
  it('stops its run at its next write, never sends the change, logs it, and leaves the job to the new run', async () => {
    // Nothing listens at the target's address: a change that got sent would fail there, not hang.
    const target = await createTarget(pm, { address: closed.host, port: closed.port });
    const account = await createAccount(pm, target.id);
    await createCredential(pm, account.id);
    const stall = stallAt('after-pending');
    // One slot, so that worker A claims nothing while it stalls; a lease too long for its heartbeat to come round in this test.
    const a = pm.startWorker({ concurrency: 1, leaseMs: 600_000, faults: stall.faults });
    const job = await pm.services.jobs.requestReset(factoryContext(), account.id, ResetRequestSchema.parse({ credentialType: 'PASSWORD', generate: true }));
    await stall.reached;

    // A stalls right before it sends the change; its lease lapses and worker B claims the job.
    await lapseLease(pm, job.id);
    expect(await createQueueRepo(pm.db).claim({ queue: pm.queue.name, workerId: 'wb', workerPid: 2, max: 1, leaseMs: 60_000 })).toEqual([job.id]);
    const rowsNow = async () => ({
      job: await pm.db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: { orderBy: { id: 'asc' } } } }),
      account: await pm.db.account.findUniqueOrThrow({ where: { id: account.id } }),
      versions: await pm.db.credentialVersion.findMany({ where: { credential: { accountId: account.id } }, orderBy: { version: 'asc' } }),
    });
    const taken = await rowsNow();
    expect(taken.job).toMatchObject({ lockedBy: 'wb', attempts: 2, phase: 'new' });

    // A wakes up: its run stops at its next write, and says so.
    stall.wake();
    await waitUntil(
      () => pm.logLines.some((line) => line.includes(job.id) && line.includes(a.id) && line.includes('result dropped')),
      'worker A drops its run',
    );
    // Nothing of A's run got written after B's claim: no phase `applying`, no `apply` step, the new version still PENDING.
    expect(await rowsNow()).toEqual(taken);
    expect(taken.job.steps.map((s) => s.step)).not.toContain('apply');
    expect(taken.versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'CURRENT'],
      [2, 'PENDING'],
    ]);

    // B's run ends the job.
    const ended = await createWorkerRepo(pm.db).writeCompletions(
      [
        {
          jobId: job.id,
          attempt: 2,
          accountId: account.id,
          state: 'failed',
          phase: null,
          errorCode: 'UNREACHABLE',
          errorMessage: 'B could not reach the target either',
          finished: true,
          runAfter: null,
          results: null,
          accountStatus: null,
          credentialChecks: [],
          steps: [],
        },
      ],
      'wb',
    );
    expect(ended).toEqual([job.id]);
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ state: 'failed', errorCode: 'UNREACHABLE', lockedBy: null });
  });
});
