import { randomUUID } from 'node:crypto';
import { describe, expect, it } from '@jest/globals';
import { ACCOUNT_JOB_KINDS, createPassman, JOB_STATES, type Job } from '@passman/sdk';
import { createGrant } from '../../../apps/api/src/test/factories.js';
import { createUser, type TestUser } from '../../../apps/api/src/test/harness.js';
import { accountWithUser, freshTarget, passman, pm, resetLeftUnknown, server, useCliWorld } from './test/cli-world.js';

// The built `passman` against a real PassMan and sshd: listing jobs and showing one.
useCliWorld();

const jobsIn = (stdout: string) => JSON.parse(stdout) as Job[];

/** The first column of a table's rows (the job ids), the header left out. */
const firstColumn = (stdout: string) =>
  stdout
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => line.split(/ +/)[0]);

/** A check of each of `count` new accounts, run as one batch to its end. */
async function checkedBatch(count: number) {
  const on = await freshTarget();
  const accountIds: string[] = [];
  for (let made = 0; made < count; made += 1) accountIds.push((await accountWithUser({ on })).id);
  const batch = await pm.jobs.bulk({ body: { kind: 'CHECK', accountIds } });
  await pm.waitForBatch(batch.id, { timeoutMs: 60_000 });
  return { batchId: batch.id, accountIds };
}

/** An API token of `user` with every permission of their role. */
async function tokenOf(user: TestUser): Promise<string> {
  const session = createPassman({ url: server.url, tls: { fingerprint256: server.fingerprint256 } });
  try {
    await session.login({ username: user.username, password: user.password });
    return (await session.tokens.create({ body: { name: 'cli-jobs', scopes: (await session.whoami()).permissions } })).token;
  } finally {
    await session.close();
  }
}

describe('passman jobs list', () => {
  it('--state, --kind and --since show only the matching jobs of an account: a table with its columns, JSON for programs', async () => {
    const { reference, id, jobId } = await resetLeftUnknown();
    const check = await pm.waitForJob((await pm.jobs.check({ params: { id } })).id, { timeoutMs: 60_000 });

    const unverified = await passman(['jobs', 'list', '--account', reference, '--state', 'unverified']);
    expect([unverified.code, unverified.stderr]).toEqual([0, '']);
    const [header, ...rows] = unverified.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^ID +KIND +STATE +ERROR_CODE +ACCOUNT +CREATED +FINISHED$/);
    expect(rows).toEqual([expect.stringMatching(new RegExp(`^${jobId} +RESET +unverified +OUTCOME_UNKNOWN +${reference} +\\S+ +\\S+$`))]);

    // By the account's id as well as by its name.
    const checks = await passman(['-o', 'json', 'jobs', 'list', '--account', id, '--kind', 'CHECK']);
    expect([checks.code, checks.stderr]).toEqual([0, '']);
    expect(jobsIn(checks.stdout).map((job) => job.id)).toEqual([check.id]);
    expect(jobsIn((await passman(['-o', 'json', 'jobs', 'list', '--account', id, '--kind', 'RESET'])).stdout).map((job) => job.id)).toEqual([jobId]);

    const since = await passman(['-o', 'json', 'jobs', 'list', '--account', reference, '--since', check.createdAt]);
    expect(jobsIn(since.stdout).map((job) => job.id)).toEqual([check.id]);
    const both = await passman(['-o', 'json', 'jobs', 'list', '--account', reference, '--since', '2000-01-01']);
    expect(jobsIn(both.stdout).map((job) => job.id)).toEqual([check.id, jobId]);
  });

  it('--batch lists only that batch; --limit pages it and says what was left out, --all follows the pages to the end', async () => {
    const { batchId, accountIds } = await checkedBatch(3);
    await checkedBatch(1); // jobs of another batch, which must not show

    const whole = jobsIn((await passman(['-o', 'json', 'jobs', 'list', '--batch', batchId])).stdout);
    expect(whole.map((job) => job.account.id).sort()).toEqual([...accountIds].sort());
    expect(whole.every((job) => job.batchId === batchId && job.kind === 'CHECK')).toBe(true);

    const page = await passman(['jobs', 'list', '--batch', batchId, '--limit', '2']);
    expect(page.code).toBe(0);
    expect(firstColumn(page.stdout)).toEqual(whole.slice(0, 2).map((job) => job.id));
    expect(page.stderr).toBe('passman: more jobs than the 2 listed: add --all, or narrow the list\n');

    const followed = await passman(['jobs', 'list', '--batch', batchId, '--limit', '2', '--all']);
    expect([followed.code, followed.stderr]).toEqual([0, '']);
    expect(firstColumn(followed.stdout)).toEqual(whole.map((job) => job.id));
    const followedJson = await passman(['-o', 'json', 'jobs', 'list', '--batch', batchId, '--limit', '1', '--all']);
    expect(jobsIn(followedJson.stdout).map((job) => job.id)).toEqual(whole.map((job) => job.id));
  });

  it('an unknown state or kind, a time that is not one, a page size out of bounds, an unknown account: usage errors (exit 2)', async () => {
    const state = await passman(['jobs', 'list', '--state', 'done']);
    expect(state).toMatchObject({ code: 2, stdout: '' });
    expect(state.stderr).toContain(`option '--state <state>' argument 'done' is invalid. Allowed choices are ${JOB_STATES.join(', ')}.`);
    const kind = await passman(['jobs', 'list', '--kind', 'IMPORT']);
    expect(kind).toMatchObject({ code: 2, stdout: '' });
    expect(kind.stderr).toContain(`Allowed choices are ${ACCOUNT_JOB_KINDS.join(', ')}.`);
    for (const time of ['yesterday', '2026-13-01', '2026-05-01T08:00:00']) {
      const since = await passman(['jobs', 'list', '--since', time]);
      expect(since).toMatchObject({ code: 2, stdout: '' });
      expect(since.stderr).toContain(`option '--since <time>' argument '${time}' is invalid.`);
    }
    for (const limit of ['0', '201', 'ten']) expect(await passman(['jobs', 'list', '--limit', limit])).toMatchObject({ code: 2, stdout: '' });
    const on = await freshTarget();
    expect(await passman(['jobs', 'list', '--account', `${on.name}/nobody`])).toMatchObject({
      code: 2,
      stdout: '',
      stderr: expect.stringContaining('(NOT_FOUND)'),
    });
  });

  it('a user sees the jobs on the accounts they may see, and not the others', async () => {
    const on = await freshTarget();
    const seen = await accountWithUser({ on });
    const hidden = await accountWithUser({ on });
    const seenJob = await pm.waitForJob((await pm.jobs.check({ params: { id: seen.id } })).id, { timeoutMs: 60_000 });
    const hiddenJob = await pm.waitForJob((await pm.jobs.check({ params: { id: hidden.id } })).id, { timeoutMs: 60_000 });
    const user = await createUser(server.api, 'operator', { vaultRights: 'none' });
    await createGrant(server.api, { object: { type: 'account', id: seen.id }, principal: { type: 'user', id: user.id }, action: 'view' });
    const asUser = { PASSMAN_TOKEN: await tokenOf(user) };

    const listed = await passman(['-o', 'json', 'jobs', 'list'], asUser);
    expect([listed.code, listed.stderr]).toEqual([0, '']);
    expect(jobsIn(listed.stdout).map((job) => job.id)).toEqual([seenJob.id]);
    // The operator sees the other job, so only the user's rights left it out above.
    expect(jobsIn((await passman(['-o', 'json', 'jobs', 'list', '--account', hidden.id])).stdout).map((job) => job.id)).toEqual([hiddenJob.id]);
    expect(await passman(['jobs', 'list', '--account', hidden.id], asUser)).toMatchObject({ code: 2, stderr: expect.stringContaining('(NOT_FOUND)') });
    expect(await passman(['jobs', 'show', hiddenJob.id], asUser)).toMatchObject({ code: 2, stderr: expect.stringContaining('(NOT_FOUND)') });
  });
});

describe('passman jobs show', () => {
  it('a job with its timeline; a reset whose outcome is unknown says how to settle it; JSON for programs', async () => {
    const { reference, jobId } = await resetLeftUnknown();
    const job = await pm.jobs.get({ params: { id: jobId } });
    const shown = await passman(['jobs', 'show', jobId]);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toContain(`job:          ${jobId}\n`);
    expect(shown.stdout).toContain('state:        unverified (OUTCOME_UNKNOWN)\n');
    expect(shown.stdout).toContain(`account:      ${reference} (${job.account.id})\n`);
    expect(shown.stdout).toMatch(/^AT +STEP +STATUS +DETAIL$/m);
    expect(job.steps.length).toBeGreaterThan(0);
    for (const step of job.steps) expect(shown.stdout).toMatch(new RegExp(`^${step.at} +${step.step} +${step.status}\\b`, 'm'));
    expect(shown.stdout.trimEnd().split('\n').at(-1)).toBe(
      `settle it: passman jobs confirm-outcome ${jobId} --target-holds new|previous ` +
        `(passman checkout --pending ${reference} reveals the new secret to try on the target)`,
    );
    const json = await passman(['-o', 'json', 'jobs', 'show', jobId]);
    expect([json.code, json.stderr]).toEqual([0, '']);
    expect(JSON.parse(json.stdout)).toEqual(job);
  });

  it('a check that ran says which credential logged in, and nothing about settling', async () => {
    const { id } = await accountWithUser();
    const check = await pm.waitForJob((await pm.jobs.check({ params: { id } })).id, { timeoutMs: 60_000 });
    const shown = await passman(['jobs', 'show', check.id]);
    expect([shown.code, shown.stderr]).toEqual([0, '']);
    expect(shown.stdout).toContain('state:        succeeded\n');
    expect(shown.stdout).toContain('credential:   PASSWORD: logs in\n');
    expect(shown.stdout).not.toContain('settle it');
  });

  it('an unknown id is not found (exit 2)', async () => {
    const missing = await passman(['jobs', 'show', randomUUID()]);
    expect(missing).toMatchObject({ code: 2, stdout: '' });
    expect(missing.stderr).toMatch(/^passman: .*\(NOT_FOUND\)\n$/);
  });
});
