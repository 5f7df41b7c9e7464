import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OUTCOME_UNKNOWN, type Batch } from '@passman/contracts';
import { reserveClosedPort, type ClosedPort } from '@passman/testkit';
import { createAccount, createCredential, createTarget } from '../../test/factories.js';
import { createTestApi, loginAs, type LoggedIn, type TestApi } from '../../test/harness.js';
import { waitUntil } from '../../test/wait-until.js';
import { api as client, waitForJob } from './jobs.test-util.js';
import { RECOVERY_DEADLINE_MS } from './worker/job-worker.js';

// A reset caught between sending its change and confirming it waits unverified, and the worker
// asks the target again and again which secret it holds. A target gone for good never answers:
// past the recovery deadline the job settles as OUTCOME_UNKNOWN — both secrets kept, the account
// NotInSync — and its batch is done. Time passes in the database: a job's first attempt is set
// back past the deadline, not waited for.

let pm: TestApi;
let operator: LoggedIn;
let gone: ClosedPort;

beforeAll(async () => {
  [pm, gone] = await Promise.all([createTestApi(), reserveClosedPort()]);
  operator = await loginAs(pm, 'operator');
});
afterAll(async () => {
  await pm?.close();
  gone?.release();
});

const batchOf = async (batchId: string) => (await client(operator).get(`/batches/${batchId}`).expect(200)).body as Batch;

/** A reset left where a crash or a lost connection leaves it: the change maybe sent, unverified, out of attempts; first tried at `startedAt`. */
const leftUnverified = (startedAt: Date) => ({
  state: 'unverified' as const,
  phase: 'applying',
  errorCode: 'UNREACHABLE',
  errorMessage: 'The change may have been applied but cannot be confirmed',
  attempts: 4,
  startedAt,
  runAfter: new Date(),
});

describe('recovery of a reset whose target is gone for good', () => {
  it('ends past the recovery deadline with OUTCOME_UNKNOWN, both secrets kept, the account NotInSync, and its batch done', async () => {
    // Nothing listens at the target's address: every login attempt fails UNREACHABLE at once.
    const target = await createTarget(pm, { address: gone.host, port: gone.port });
    const accounts = await Promise.all(
      [0, 1].map(async () => {
        const account = await createAccount(pm, target.id);
        await createCredential(pm, account.id);
        return account;
      }),
    );
    const res = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds: accounts.map((a) => a.id), reset: { credentialType: 'PASSWORD' } })
      .expect(202);
    const batchId = res.body.id as string;
    const jobs = await pm.db.job.findMany({ where: { batchId } });
    const [old, young] = accounts.map((a) => jobs.find((j) => j.accountId === a.id)!);
    // Both were left unverified with no worker running: one first tried just past the deadline ago, one an hour within it.
    await pm.db.job.update({ where: { id: old!.id }, data: leftUnverified(new Date(Date.now() - RECOVERY_DEADLINE_MS - 60_000)) });
    await pm.db.job.update({ where: { id: young!.id }, data: leftUnverified(new Date(Date.now() - RECOVERY_DEADLINE_MS + 3_600_000)) });
    pm.startWorker({ maxAttempts: 4 });

    // Past the deadline: one more try, which cannot reach the target either, and recovery is over.
    const settled = await waitForJob(operator, old!.id);
    expect(settled).toMatchObject({ state: 'unverified', errorCode: OUTCOME_UNKNOWN, attempts: 5 });
    expect(settled.errorMessage).toContain('Recovery gave up after 24 hours');
    expect(settled.steps.at(-1)).toMatchObject({ step: 'recover', status: 'failed', detail: { code: OUTCOME_UNKNOWN, gaveUpAfterHours: 24 } });
    const oldRow = await pm.db.job.findUniqueOrThrow({ where: { id: old!.id }, include: { account: true } });
    expect(oldRow).toMatchObject({ lockedBy: null, lockedUntil: null });
    expect(oldRow.account).toMatchObject({ status: 'NotInSync', statusReason: OUTCOME_UNKNOWN, lockedByJobId: null });
    // Nothing is lost: the previous secret stays CURRENT, the new one PENDING, until a person confirms one.
    const versions = await pm.db.credentialVersion.findMany({ where: { credential: { accountId: old!.accountId! } }, orderBy: { version: 'asc' } });
    expect(versions.map((v) => [v.version, v.state])).toEqual([
      [1, 'CURRENT'],
      [2, 'PENDING'],
    ]);

    // Within the deadline: tried again, and still being recovered — so the batch is not done.
    await waitUntil(async () => {
      const row = await pm.db.job.findUniqueOrThrow({ where: { id: young!.id } });
      return row.attempts === 5 && row.lockedBy === null;
    }, 'the job within the deadline to end a run');
    expect(await pm.db.job.findUniqueOrThrow({ where: { id: young!.id } })).toMatchObject({ state: 'unverified', errorCode: 'UNREACHABLE' });
    expect(await batchOf(batchId)).toMatchObject({ done: false, counts: { unverified: 2, recovering: 1 } });

    // Its deadline passes too (its first attempt set back), and it is due: it settles the same way, and the batch is done.
    await pm.db.job.update({ where: { id: young!.id }, data: { startedAt: new Date(Date.now() - RECOVERY_DEADLINE_MS - 60_000), runAfter: new Date() } });
    expect(await waitForJob(operator, young!.id)).toMatchObject({ state: 'unverified', errorCode: OUTCOME_UNKNOWN, attempts: 6 });
    expect(await batchOf(batchId)).toMatchObject({ done: true, counts: { queued: 0, running: 0, unverified: 2, recovering: 0 } });
  });
});
