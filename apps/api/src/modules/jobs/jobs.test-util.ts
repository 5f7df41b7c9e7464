import { randomBytes } from 'node:crypto';
import { expect } from '@jest/globals';
import { hasJobSettled, type Batch, type Job } from '@passman/contracts';
import type { SshTarget } from '@passman/testkit';
import type { LoggedIn, TestApi } from '../../test/harness.js';

/** A fresh login name for a test (each test makes its own users on the shared target). */
export const newUser = (prefix = 'u') => `${prefix}${randomBytes(4).toString('hex')}`;
export const newPassword = () => `Pw-${randomBytes(9).toString('base64url')}!`;

export function api(session: LoggedIn) {
  const send = (method: 'post' | 'patch', path: string, body?: object) =>
    session.agent[method](`/api/v1${path}`)
      .set('X-CSRF-Token', session.csrf)
      .send(body ?? {});
  return {
    post: (path: string, body?: object) => send('post', path, body),
    patch: (path: string, body?: object) => send('patch', path, body),
    get: (path: string) => session.agent.get(`/api/v1${path}`),
  };
}

/** A PassMan target for a real sshd, with its host key scanned and approved. */
export async function registerTarget(session: LoggedIn, target: Pick<SshTarget, 'host' | 'port' | 'fingerprints'>, options: { approve?: boolean } = {}) {
  const client = api(session);
  const created = await client.post('/targets', { name: `t-${randomBytes(4).toString('hex')}`, address: target.host, port: target.port }).expect(201);
  if (options.approve !== false) {
    const scanned = await client.post(`/targets/${created.body.id}/host-key/scan`).expect(200);
    expect(target.fingerprints).toContain(scanned.body.fingerprint);
    await client.post(`/targets/${created.body.id}/host-key/approve`, { fingerprint: scanned.body.fingerprint }).expect(200);
  }
  return created.body.id as string;
}

/** An account with its real password stored (typed) in PassMan. */
export async function registerAccount(session: LoggedIn, targetId: string, username: string, password?: string) {
  const client = api(session);
  const account = await client.post('/accounts', { targetId, username }).expect(201);
  if (password) await client.post(`/accounts/${account.body.id}/credentials`, { type: 'PASSWORD', value: password }).expect(201);
  return account.body.id as string;
}

/** Waits for a job to finish (or to settle as unverified), polling its state. */
export async function waitForJob(session: LoggedIn, jobId: string, options: { timeoutMs?: number; until?: (job: Job) => boolean } = {}): Promise<Job> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  const done = options.until ?? hasJobSettled;
  for (;;) {
    const res = await session.agent.get(`/api/v1/jobs/${jobId}`).expect(200);
    if (done(res.body as Job)) return res.body as Job;
    if (Date.now() > deadline)
      throw new Error(
        `job ${jobId} still ${res.body.state} after its deadline: ${JSON.stringify(res.body.steps.map((s: { step: string; status: string }) => `${s.step}:${s.status}`))}`,
      );
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits for every job of a batch to finish, polling its counts. */
export async function waitForBatch(session: LoggedIn, batchId: string, options: { timeoutMs?: number } = {}): Promise<Batch> {
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    const res = await session.agent.get(`/api/v1/batches/${batchId}`).expect(200);
    if ((res.body as Batch).done) return res.body as Batch;
    if (Date.now() > deadline) throw new Error(`batch ${batchId} not done after its deadline: ${JSON.stringify(res.body.counts)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Makes a job's lease, and its account's, lapse now — as when its worker stalls (GC, a network
 * stall) or dies — set in the database rather than waited for.
 */
export async function lapseLease(apiHandle: Pick<TestApi, 'db'>, jobId: string) {
  const past = new Date(Date.now() - 1_000);
  await apiHandle.db.job.update({ where: { id: jobId }, data: { lockedUntil: past } });
  await apiHandle.db.account.updateMany({ where: { lockedByJobId: jobId }, data: { lockExpiresAt: past } });
}

export async function accountOf(apiHandle: TestApi, id: string) {
  return apiHandle.db.account.findUniqueOrThrow({ where: { id } });
}
