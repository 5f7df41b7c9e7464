import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from '@jest/globals';
import { OUTCOME_UNKNOWN, type VaultAction } from '@passman/contracts';
import { createApprovalRule, createGrant, createUser, loginWith } from '../../test/factories.js';
import type { LoggedIn } from '../../test/harness.js';
import { api as client, waitForJob } from './jobs.test-util.js';
import { notRun } from './jobs-api.test-util.js';
import { confirm, outcomeHelpers, startOutcomeApi, stopOutcomeApi, type OutcomeApi } from './reset-outcome.test-util.js';

// Who may settle a reset whose outcome is unknown, and when it cannot be settled: rights on the
// account (404 where it cannot be seen), step-up and approval rules as for a checkout or a reset,
// racing confirmations (one wins), and jobs that do not await a confirmation. Each refusal leaves
// the job, the versions and the trail as they were.

const PAST_ANY_WINDOW_MS = 25 * 3_600_000;
let offsetMs = 0;
let env: OutcomeApi;
beforeAll(async () => {
  env = await startOutcomeApi({ stepUpNow: () => new Date(Date.now() + offsetMs) });
}, 60_000);
afterAll(() => stopOutcomeApi(env));
beforeEach(() => {
  offsetMs = 0;
});

const { passwordResetLeftUnknown, userWithAccount } = outcomeHelpers(() => env);

/** An operator whose rights are exactly `actions` on the shared target. */
async function operatorWith(actions: VaultAction[]) {
  const user = await createUser(env.pm, 'operator', { vaultRights: 'none' });
  for (const action of actions) await createGrant(env.pm, { object: { type: 'target', id: env.targetId }, principal: { type: 'user', id: user.id }, action });
  return loginWith(env.pm, user);
}

const revealPending = (who: LoggedIn, accountId: string) => client(who).post(`/accounts/${accountId}/checkout`, { pending: true });

/** What a refused request must not have changed: the job still awaits, both versions kept, nothing confirmed in the trail. */
async function expectUntouched(job: { id: string; credentialId: string | null }) {
  expect(await env.pm.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ state: 'unverified', errorCode: OUTCOME_UNKNOWN });
  const versions = await env.pm.db.credentialVersion.findMany({ where: { credentialId: job.credentialId! }, orderBy: { version: 'asc' } });
  expect(versions.map((v) => v.state)).toEqual(['CURRENT', 'PENDING']);
  expect(await env.pm.db.auditEvent.count({ where: { action: 'credential.reset.confirmed', details: { path: ['jobId'], equals: job.id } } })).toBe(0);
}

describe('who may settle it', () => {
  it('confirming needs reset on the account, revealing the pending secret needs checkout; an account one may not see answers 404', async () => {
    const { accountId, job } = await passwordResetLeftUnknown('NEW');
    const revealer = await operatorWith(['view', 'checkout']);
    const resetter = await operatorWith(['view', 'reset']);
    const stranger = await operatorWith([]);
    const auditor = await loginWith(env.pm, await createUser(env.pm, 'auditor'));

    expect((await confirm(revealer, job.id, { targetHolds: 'NEW' }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await confirm(stranger, job.id, { targetHolds: 'NEW' }).expect(404)).body.code).toBe('NOT_FOUND');
    expect((await confirm(auditor, job.id, { targetHolds: 'NEW' }).expect(403)).body.code).toBe('FORBIDDEN');
    await revealPending(resetter, accountId).expect(403);
    await revealPending(stranger, accountId).expect(404);
    await revealPending(auditor, accountId).expect(403);
    await expectUntouched(job);

    expect((await revealPending(revealer, accountId).expect(200)).body).toMatchObject({ version: 2, pending: true });
    await client(revealer).post(`/accounts/${accountId}/checkin`).expect(200);
    await confirm(resetter, job.id, { targetHolds: 'NEW' }).expect(200);
  });

  it('a session past the step-up window must re-authenticate first; nothing is revealed or changed', async () => {
    const { accountId, job } = await passwordResetLeftUnknown('NEW');
    offsetMs = PAST_ANY_WINDOW_MS;
    expect((await revealPending(env.operator, accountId).expect(403)).body.code).toBe('STEP_UP_REQUIRED');
    expect((await confirm(env.operator, job.id, { targetHolds: 'NEW' }).expect(403)).body.code).toBe('STEP_UP_REQUIRED');
    await expectUntouched(job);
    expect(await env.pm.db.auditEvent.count({ where: { action: 'credential.checkout', details: { path: ['jobId'], equals: job.id } } })).toBe(0);
  });

  it('approval rules hold: on checkouts for the pending secret, on resets for the confirmation', async () => {
    const { accountId, job } = await passwordResetLeftUnknown('NEW');
    await createApprovalRule(env.pm, { type: 'account', id: accountId }, 'checkout');
    await createApprovalRule(env.pm, { type: 'account', id: accountId }, 'reset');
    expect((await revealPending(env.operator, accountId).expect(403)).body.code).toBe('APPROVAL_REQUIRED');
    expect((await confirm(env.operator, job.id, { targetHolds: 'PREVIOUS' }).expect(403)).body.code).toBe('APPROVAL_REQUIRED');
    await expectUntouched(job);
  });
});

describe('when it cannot be settled', () => {
  it('two confirmations racing: one wins, the other answers 409, and only the winner’s change is written', async () => {
    const held = [];
    for (let i = 0; i < 3; i += 1) held.push(await passwordResetLeftUnknown('NEW'));
    const other = await loginWith(env.pm, await createUser(env.pm, 'operator'));
    await Promise.all(
      held.map(async ({ job }) => {
        const [a, b] = await Promise.all([confirm(env.operator, job.id, { targetHolds: 'NEW' }), confirm(other, job.id, { targetHolds: 'PREVIOUS' })]);
        expect([a.status, b.status].sort()).toEqual([200, 409]);
        const [won, lost] = a.status === 200 ? [a, b] : [b, a];
        expect(lost.body).toMatchObject({ code: 'CONFLICT', reason: 'NOT_AWAITING_CONFIRMATION' });
        const versions = await env.pm.db.credentialVersion.findMany({ where: { credentialId: job.credentialId! }, orderBy: { version: 'asc' } });
        expect(versions.map((v) => v.state)).toEqual(won.body.targetHolds === 'NEW' ? ['RETIRED', 'CURRENT'] : ['CURRENT', 'FAILED']);
        const row = await env.pm.db.job.findUniqueOrThrow({ where: { id: job.id }, include: { steps: true } });
        expect(row.state).toBe(won.body.targetHolds === 'NEW' ? 'succeeded' : 'failed');
        expect(row.steps.filter((s) => s.step === 'confirm')).toHaveLength(1);
        const events = await env.pm.db.auditEvent.findMany({ where: { action: 'credential.reset.confirmed', details: { path: ['jobId'], equals: job.id } } });
        expect(events.map((e) => (e.details as { targetHolds: string }).targetHolds)).toEqual([won.body.targetHolds]);
      }),
    );
  });

  it('a job that does not await a confirmation: 409 for a reset that succeeded, a check, a reset still being recovered; 404 and 422 otherwise', async () => {
    const { accountId } = await userWithAccount();
    const reset = await client(env.operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202);
    expect((await waitForJob(env.operator, reset.body.id)).state).toBe('succeeded');
    const check = await client(env.operator).post(`/accounts/${accountId}/check`).expect(202);
    await waitForJob(env.operator, check.body.id);
    // Still being recovered (the worker asks the target again): only the worker settles it. Its queue is none a worker takes.
    const recovering = await env.pm.db.job.create({
      data: { kind: 'RESET', accountId, state: 'unverified', errorCode: 'UNREACHABLE', queue: notRun.name },
    });
    for (const jobId of [reset.body.id, check.body.id, recovering.id]) {
      const res = await confirm(env.operator, jobId, { targetHolds: 'NEW' }).expect(409);
      expect(res.body).toMatchObject({ code: 'CONFLICT', reason: 'NOT_AWAITING_CONFIRMATION' });
    }
    expect(await env.pm.db.job.findUniqueOrThrow({ where: { id: recovering.id } })).toMatchObject({ state: 'unverified', errorCode: 'UNREACHABLE' });
    expect((await client(env.operator).post(`/accounts/${accountId}/checkout`, { pending: true }).expect(409)).body.reason).toBe('NOT_AWAITING_CONFIRMATION');

    await confirm(env.operator, randomUUID(), { targetHolds: 'NEW' }).expect(404);
    for (const body of [{}, { targetHolds: 'new' }, { targetHolds: 'NEW', secret: 'x' }, { targetHolds: 'NEW', reason: 'a\u0000b' }]) {
      expect((await confirm(env.operator, reset.body.id, body).expect(422)).body.code).toBe('VALIDATION_FAILED');
    }
  });

  it('while another job holds the account (a check running): 409 ACCOUNT_BUSY; once its lease is gone it goes through', async () => {
    const { accountId, job } = await passwordResetLeftUnknown('PREVIOUS');
    await env.pm.db.account.update({ where: { id: accountId }, data: { lockedByJobId: randomUUID(), lockExpiresAt: new Date(Date.now() + 60_000) } });
    expect((await confirm(env.operator, job.id, { targetHolds: 'PREVIOUS' }).expect(409)).body).toMatchObject({ reason: 'ACCOUNT_BUSY' });
    await expectUntouched(job);
    await env.pm.db.account.update({ where: { id: accountId }, data: { lockExpiresAt: new Date(Date.now() - 1_000) } });
    await confirm(env.operator, job.id, { targetHolds: 'PREVIOUS' }).expect(200);
  });
});
