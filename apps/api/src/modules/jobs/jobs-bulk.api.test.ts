// Bulk jobs and batches over the API, against a real sshd target: Check and Reset of many accounts as one batch.
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { Job } from '@passman/contracts';
import type { SshTarget } from '@passman/testkit';
import type { LoggedIn, TestApi } from '../../test/harness.js';
import { runInTransaction } from '../../db/transaction.js';
import { systemContext } from '../../lib/actor.js';
import { produceResetSecret, storePendingResets } from './reset-request.js';
import { jobsHelpers, notRun, startJobsApi, stopJobsApi } from './jobs-api.test-util.js';
import { accountOf, api as client, waitForBatch, waitForJob } from './jobs.test-util.js';

let pm: TestApi;
let operator: LoggedIn;
let target: SshTarget;
let targetId: string;

beforeAll(async () => {
  ({ pm, operator, target, targetId } = await startJobsApi());
}, 60_000);
afterAll(() => stopJobsApi({ pm, target }));

const { ssh, userWithAccount, checkout } = jobsHelpers(() => ({ pm, operator, target, targetId }));

describe('bulk jobs', () => {
  it('checks many accounts as one batch with progress counts, streamed over SSE', async () => {
    const accounts = await Promise.all([userWithAccount(), userWithAccount(), userWithAccount()]);
    const batch = await client(operator)
      .post('/jobs/bulk', { kind: 'CHECK', accountIds: accounts.map((a) => a.accountId) })
      .expect(202);
    expect(batch.body).toMatchObject({ kind: 'CHECK', total: 3 });
    const stream = await operator.agent
      .get(`/api/v1/batches/${batch.body.id}/events`)
      .buffer(true)
      .parse((res, done) => {
        let text = '';
        res.on('data', (chunk: Buffer) => (text += chunk.toString()));
        res.on('end', () => done(null, text));
      });
    expect(stream.headers['content-type']).toMatch(/text\/event-stream/);
    const frames = String(stream.body)
      .split('\n\n')
      .filter((f) => f.startsWith('event: batch'));
    const last = JSON.parse(frames.at(-1)!.split('data: ')[1]!);
    expect(last).toMatchObject({ done: true, counts: { succeeded: 3, failed: 0 } });
    const jobs = await client(operator).get(`/jobs?batchId=${batch.body.id}`).expect(200);
    expect(jobs.body.items).toHaveLength(3);
  });

  it('bulk RESET of accounts where one has a reset in progress: 409 naming it, and nothing stored for any of them', async () => {
    const [free, busy] = await Promise.all([userWithAccount(), userWithAccount()]);
    // A reset that settled as OUTCOME_UNKNOWN waits for an operator: it stays in progress.
    const waiting = await pm.db.job.create({ data: { kind: 'RESET', accountId: busy.accountId, state: 'unverified', errorCode: 'OUTCOME_UNKNOWN' } });
    const before = await pm.db.credentialVersion.count({ where: { credential: { accountId: { in: [free.accountId, busy.accountId] } } } });
    const refused = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds: [free.accountId, busy.accountId], reset: { credentialType: 'PASSWORD' } })
      .expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body.accountIds).toEqual([busy.accountId]);
    expect(await pm.db.credentialVersion.count({ where: { credential: { accountId: { in: [free.accountId, busy.accountId] } } } })).toBe(before);
    expect(await pm.db.job.count({ where: { accountId: { in: [free.accountId, busy.accountId] }, kind: 'RESET' } })).toBe(1);
    await pm.db.job.update({ where: { id: waiting.id }, data: { state: 'failed' } });
  });

  it('bulk vault-only RESET with InSync accounts: refused as a whole without acknowledgeLossOfSync (409 naming them, nothing stored); with it all go ahead and lose InSync', async () => {
    const [synced, alsoSynced, unchecked] = await Promise.all([userWithAccount(), userWithAccount(), userWithAccount()]);
    await Promise.all(
      [synced, alsoSynced].map(async (a) => waitForJob(operator, (await client(operator).post(`/accounts/${a.accountId}/check`).expect(202)).body.id)),
    );
    expect((await accountOf(pm, synced.accountId)).status).toBe('InSync');
    expect((await accountOf(pm, unchecked.accountId)).status).toBe('Unknown');
    const accountIds = [synced, alsoSynced, unchecked].map((a) => a.accountId);
    const stored = async () => ({
      versions: await pm.db.credentialVersion.count({ where: { credential: { accountId: { in: accountIds } } } }),
      jobs: await pm.db.job.count({ where: { accountId: { in: accountIds }, kind: 'RESET' } }),
      batches: await pm.db.jobBatch.count({ where: { requestedById: operator.user.id } }),
    });
    const before = await stored();

    const vaultOnly = { credentialType: 'PASSWORD', changeOnTarget: false };
    const refused = await client(operator).post('/jobs/bulk', { kind: 'RESET', accountIds, reset: vaultOnly }).expect(409);
    expect(refused.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(refused.body).toMatchObject({ code: 'CONFLICT', reason: 'WOULD_LOSE_SYNC' });
    expect(refused.body.detail).toMatch(/acknowledgeLossOfSync/);
    expect([...refused.body.accountIds].sort()).toEqual([synced.accountId, alsoSynced.accountId].sort());
    expect(await stored()).toEqual(before);

    const accepted = await client(operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds, reset: { ...vaultOnly, acknowledgeLossOfSync: true } })
      .expect(202);
    expect(accepted.body).toMatchObject({ kind: 'RESET', total: 3 });
    expect((await waitForBatch(operator, accepted.body.id)).counts).toMatchObject({ succeeded: 3, failed: 0 });
    const jobs = (await client(operator).get(`/jobs?batchId=${accepted.body.id}`).expect(200)).body.items as Job[];
    for (const job of jobs) {
      expect(job.params).toMatchObject({ changeOnTarget: false, acknowledgeLossOfSync: true, origin: 'GENERATED' });
      // The vault copy was replaced, then checked: a generated secret the target never got is refused.
      expect(job.steps.map((s) => `${s.step}:${s.status}`)).toEqual(expect.arrayContaining(['promote:done', 'check:failed']));
    }
    for (const { accountId, name, password } of [synced, alsoSynced, unchecked]) {
      expect(await accountOf(pm, accountId)).toMatchObject({ status: 'NotInSync', statusReason: 'AUTH_REJECTED' });
      const now = await checkout(accountId);
      expect(now).toMatchObject({ version: 2 });
      expect(now.secret).not.toBe(password);
      // Nothing was sent to the target: the real password still logs in there.
      expect((await ssh(name, { password })).code).toBe(0);
    }
  });

  it('the OpenAPI document shows acknowledgeLossOfSync of a bulk RESET, described', async () => {
    const doc = (await pm.request().get('/api/openapi.json').expect(200)).body;
    expect(doc.components.schemas.BulkJobRequest.properties.reset.properties.acknowledgeLossOfSync).toMatchObject({
      type: 'boolean',
      description: expect.stringMatching(/InSync/),
    });
    expect(Object.keys(doc.paths['/api/v1/jobs/bulk'].post.responses)).toEqual(expect.arrayContaining(['409', '422']));
  });

  it('a bulk RESET that loses a race with another reset of one account fails that job (RESET_IN_PROGRESS) and stores the rest', async () => {
    const [free, busy] = await Promise.all([userWithAccount(), userWithAccount()]);
    const waiting = await pm.db.job.create({ data: { kind: 'RESET', accountId: busy.accountId, state: 'unverified', errorCode: 'OUTCOME_UNKNOWN' } });
    const request = { credentialType: 'PASSWORD' as const, generate: true as const, changeOnTarget: true };
    const accounts = await pm.db.account.findMany({
      where: { id: { in: [free.accountId, busy.accountId] } },
      select: { id: true, status: true, credentials: { select: { id: true, type: true, slot: true } } },
    });
    const policy = await pm.services.policies.effective(null);
    const resets = await Promise.all(accounts.map((a) => produceResetSecret(a, request, policy)));
    const ctx = { requestId: 'test', ip: null, userAgent: null, actor: null };
    const stored = await runInTransaction(pm.db, (tx) =>
      storePendingResets({ vault: pm.services.vault, audit: pm.services.audit, queue: notRun }, tx, ctx, { resets, request, onBusy: 'fail-job' }),
    );
    expect(stored.jobIds).toHaveLength(2);
    expect(stored.queued).toHaveLength(1);
    const jobs = await pm.db.job.findMany({ where: { id: { in: stored.jobIds } } });
    expect(jobs.find((j) => j.accountId === busy.accountId)).toMatchObject({ state: 'failed', errorCode: 'RESET_IN_PROGRESS', pendingVersionId: null });
    const queued = jobs.find((j) => j.accountId === free.accountId)!;
    expect(queued).toMatchObject({ id: stored.queued[0], state: 'queued' });
    expect(await pm.db.credentialVersion.findUnique({ where: { id: queued.pendingVersionId! } })).toMatchObject({ state: 'PENDING', version: 2 });
    const audit = await pm.db.auditEvent.findMany({ where: { action: 'credential.reset.requested', requestId: 'test' }, orderBy: { seq: 'asc' } });
    expect(audit.map((e) => [(e.details as { accountId: string }).accountId, e.outcome]).sort()).toEqual(
      [
        [busy.accountId, 'failure'],
        [free.accountId, 'success'],
      ].sort(),
    );
    await pm.db.job.update({ where: { id: waiting.id }, data: { state: 'failed' } });
    await pm.services.jobs.get(systemContext('test'), queued.id); // the stored job is a valid job for the API
  });

  it('a vault-only reset whose account became InSync after the request was read is refused when stored (409, or WOULD_LOSE_SYNC in a bulk), nothing stored', async () => {
    const [single, inBulk, other] = await Promise.all([userWithAccount(), userWithAccount(), userWithAccount()]);
    const request = { credentialType: 'PASSWORD' as const, generate: true as const, changeOnTarget: false };
    const ids = [single.accountId, inBulk.accountId, other.accountId];
    // Read while not InSync (no check has run yet), as the service reads them before storing.
    const accounts = await pm.db.account.findMany({
      where: { id: { in: ids } },
      select: { id: true, status: true, credentials: { select: { id: true, type: true, slot: true } } },
    });
    expect(accounts.every((a) => a.status !== 'InSync')).toBe(true);
    const policy = await pm.services.policies.effective(null);
    const resetOf = async (id: string) =>
      produceResetSecret(
        accounts.find((a) => a.id === id)!,
        request,
        policy,
      );
    // Meanwhile a check ends: two of them are InSync now.
    await pm.db.account.updateMany({ where: { id: { in: [single.accountId, inBulk.accountId] } }, data: { status: 'InSync', statusReason: null } });
    const ctx = { requestId: 'test-insync-race', ip: null, userAgent: null, actor: null };
    const deps = { vault: pm.services.vault, audit: pm.services.audit, queue: notRun };

    const refused = await runInTransaction(pm.db, async (tx) =>
      storePendingResets(deps, tx, ctx, { resets: [await resetOf(single.accountId)], request, onBusy: 'refuse' }),
    ).catch((e: unknown) => e);
    expect(refused).toMatchObject({ code: 'CONFLICT', options: { details: { reason: 'WOULD_LOSE_SYNC', accountIds: [single.accountId] } } });

    const resets = [await resetOf(inBulk.accountId), await resetOf(other.accountId)];
    const stored = await runInTransaction(pm.db, (tx) => storePendingResets(deps, tx, ctx, { resets, request, onBusy: 'fail-job' }));
    const jobs = await pm.db.job.findMany({ where: { id: { in: stored.jobIds } } });
    expect(jobs.find((j) => j.accountId === inBulk.accountId)).toMatchObject({ state: 'failed', errorCode: 'WOULD_LOSE_SYNC', pendingVersionId: null });
    expect(jobs.find((j) => j.accountId === other.accountId)).toMatchObject({ id: stored.queued[0], state: 'queued' });
    const versions = await pm.db.credentialVersion.findMany({ where: { credential: { accountId: { in: ids } } } });
    expect(versions.filter((v) => v.state === 'PENDING').map((v) => v.credentialId)).toEqual([jobs.find((j) => j.accountId === other.accountId)!.credentialId]);
    await pm.db.job.update({ where: { id: stored.queued[0]! }, data: { state: 'failed' } }); // not run: no worker test needs it
  });
});

describe('batch completion', () => {
  it('a batch with an unverified job still being recovered is not done; once recovery gave up (OUTCOME_UNKNOWN) it is', async () => {
    const [a, b] = await Promise.all([userWithAccount(), userWithAccount()]);
    // Rows of the default queue, which this file's worker does not take: their states stay as written.
    const batch = await pm.db.jobBatch.create({ data: { kind: 'RESET', total: 2 } });
    await pm.db.job.create({ data: { kind: 'RESET', accountId: a.accountId, batchId: batch.id, state: 'succeeded', finishedAt: new Date() } });
    const unverified = await pm.db.job.create({
      data: {
        kind: 'RESET',
        accountId: b.accountId,
        batchId: batch.id,
        state: 'unverified',
        errorCode: 'UNREACHABLE',
        runAfter: new Date(Date.now() + 3_600_000),
      },
    });

    const recovering = (await operator.agent.get(`/api/v1/batches/${batch.id}`).expect(200)).body;
    expect(recovering).toMatchObject({ done: false, counts: { succeeded: 1, unverified: 1, recovering: 1 } });

    await pm.db.job.update({ where: { id: unverified.id }, data: { errorCode: 'OUTCOME_UNKNOWN' } });
    const settled = (await operator.agent.get(`/api/v1/batches/${batch.id}`).expect(200)).body;
    expect(settled).toMatchObject({ done: true, counts: { succeeded: 1, unverified: 1, recovering: 0 } });
  });
});
