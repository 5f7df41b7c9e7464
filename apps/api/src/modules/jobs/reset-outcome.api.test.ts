import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { OUTCOME_UNKNOWN, type Job } from '@passman/contracts';
import { accountOf, api as client, waitForJob } from './jobs.test-util.js';
import { confirm, outcomeHelpers, startOutcomeApi, stopOutcomeApi, type OutcomeApi } from './reset-outcome.test-util.js';

// A reset whose outcome PassMan cannot establish (neither secret logs in, or recovery gave up)
// settles as unverified OUTCOME_UNKNOWN with both secrets kept. This is how a person settles it,
// against a real sshd: CheckOut shows either candidate (audited), nothing else moves the account
// on (another reset is refused, a Check proves only the current secret), and confirming which
// secret the target holds promotes or discards the pending one — then a Check proves it.

let env: OutcomeApi;
beforeAll(async () => {
  env = await startOutcomeApi();
}, 60_000);
afterAll(() => stopOutcomeApi(env));

const { ssh, passwordResetLeftUnknown, keyResetLeftUnknown } = outcomeHelpers(() => env);

interface Version {
  version: number;
  state: string;
}

const versionsOf = async (credentialId: string): Promise<[number, string][]> =>
  ((await client(env.operator).get(`/credentials/${credentialId}/versions`).expect(200)).body.items as Version[]).map((v) => [v.version, v.state]);
const checkout = async (accountId: string, body: object = {}) =>
  (await client(env.operator).post(`/accounts/${accountId}/checkout`, body).expect(200)).body as { secret: string; version: number; pending: boolean };
const checkin = (accountId: string) => client(env.operator).post(`/accounts/${accountId}/checkin`).expect(200);
const expectNoSecret = (details: unknown, secrets: string[]) => {
  for (const secret of secrets) expect(JSON.stringify(details)).not.toContain(JSON.stringify(secret).slice(1, -1));
};
async function checked(accountId: string): Promise<Job> {
  return waitForJob(env.operator, (await client(env.operator).post(`/accounts/${accountId}/check`).expect(202)).body.id);
}

describe('an account whose reset ended OUTCOME_UNKNOWN', () => {
  it('is held: both secrets kept, other resets refused, a Check does not settle it; CheckOut reveals either candidate under audit', async () => {
    const { name, password, accountId, job } = await passwordResetLeftUnknown('NEW');
    const credentialId = job.credentialId!;
    expect(await accountOf(env.pm, accountId)).toMatchObject({ status: 'NotInSync', statusReason: OUTCOME_UNKNOWN });
    expect(await versionsOf(credentialId)).toEqual([
      [2, 'PENDING'],
      [1, 'CURRENT'],
    ]);

    // Every other way to change the secret waits for the confirmation.
    const reset = await client(env.operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(409);
    expect(reset.body).toMatchObject({ code: 'CONFLICT', jobId: job.id });
    const vaultOnly = { credentialType: 'PASSWORD', generate: true, changeOnTarget: false, acknowledgeLossOfSync: true };
    await client(env.operator).post(`/accounts/${accountId}/reset`, vaultOnly).expect(409);
    await client(env.operator)
      .post('/jobs/bulk', { kind: 'RESET', accountIds: [accountId], reset: { credentialType: 'PASSWORD' } })
      .expect(409);

    // CheckOut: the current secret by default, the pending one when asked; each audited, neither value in the trail.
    const current = await checkout(accountId, { reason: 'which one works?' });
    expect(current).toMatchObject({ version: 1, pending: false, secret: password });
    await checkin(accountId);
    const pending = await checkout(accountId, { pending: true });
    expect(pending).toMatchObject({ version: 2, pending: true });
    expect(pending.secret).not.toBe(password);
    await checkin(accountId);
    const reveals = await env.pm.db.auditEvent.findMany({ where: { objectId: credentialId, action: 'credential.checkout' }, orderBy: { seq: 'asc' } });
    expect(reveals.map((e) => e.details)).toEqual([
      expect.objectContaining({ version: 1, reason: 'which one works?' }),
      expect.objectContaining({ version: 2, pending: true, jobId: job.id }),
    ]);
    for (const event of reveals) expectNoSecret(event.details, [password, pending.secret]);

    // The target took the new password: OpenSSH logs in with it, not with the current one.
    expect((await ssh(name, { password: pending.secret })).code).toBe(0);
    expect((await ssh(name, { password })).code).not.toBe(0);
    // A Check runs, but tries only the current secret: the account stays held, the pending version kept.
    const check = await checked(accountId);
    expect(check.results).toEqual([expect.objectContaining({ ok: false, code: 'AUTH_REJECTED' })]);
    expect(await env.pm.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ state: 'unverified', errorCode: OUTCOME_UNKNOWN });
    expect(await versionsOf(credentialId)).toEqual([
      [2, 'PENDING'],
      [1, 'CURRENT'],
    ]);
    await client(env.operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(409);
  });
});

describe('confirming which secret the target holds', () => {
  it('NEW: the pending version becomes CURRENT, the job is settled for good, a Check proves it InSync, resets work again', async () => {
    const { name, password, accountId, job } = await passwordResetLeftUnknown('NEW');
    const credentialId = job.credentialId!;
    const newSecret = (await checkout(accountId, { pending: true })).secret;
    await checkin(accountId);

    const res = await confirm(env.operator, job.id, { targetHolds: 'NEW', reason: 'logged in on the console' }).expect(200);
    expect(res.body).toMatchObject({
      targetHolds: 'NEW',
      credentialId,
      currentVersion: 2,
      account: { id: accountId, status: 'Unknown', statusReason: 'NOT_CHECKED' },
      job: { id: job.id, state: 'succeeded', errorCode: null },
    });
    expect(res.body.job.steps.at(-1)).toMatchObject({
      step: 'confirm',
      status: 'done',
      detail: { targetHolds: 'NEW', by: env.operator.user.username, version: 2, previousVersion: 1 },
    });
    expect(JSON.stringify(res.body)).not.toContain(newSecret);
    expect(await versionsOf(credentialId)).toEqual([
      [2, 'CURRENT'],
      [1, 'RETIRED'],
    ]);
    // Settled: no worker takes it again, and a second confirmation finds nothing to confirm.
    expect(await env.pm.db.job.findUniqueOrThrow({ where: { id: job.id } })).toMatchObject({ lockedBy: null, finishedAt: expect.any(Date) });
    expect((await confirm(env.operator, job.id, { targetHolds: 'PREVIOUS' }).expect(409)).body).toMatchObject({ reason: 'NOT_AWAITING_CONFIRMATION' });

    const event = await env.pm.db.auditEvent.findFirstOrThrow({ where: { objectId: credentialId, action: 'credential.reset.confirmed' } });
    expect(event).toMatchObject({ actorName: env.operator.user.username, outcome: 'success' });
    expect(event.details).toEqual({
      accountId,
      jobId: job.id,
      targetHolds: 'NEW',
      reason: 'logged in on the console',
      before: { current: 1, pending: 2, status: 'NotInSync', statusReason: OUTCOME_UNKNOWN, job: 'unverified' },
      after: { current: 2, failed: null, retired: 1, status: 'Unknown', statusReason: 'NOT_CHECKED', job: 'succeeded' },
    });
    expectNoSecret(event.details, [password, newSecret]);

    // The target's actual secret is CURRENT: PassMan's Check and OpenSSH both log in with it.
    expect((await checked(accountId)).state).toBe('succeeded');
    expect(await accountOf(env.pm, accountId)).toMatchObject({ status: 'InSync', statusReason: null });
    const now = await checkout(accountId);
    await checkin(accountId);
    expect(now).toMatchObject({ version: 2, pending: false, secret: newSecret });
    expect((await ssh(name, { password: newSecret })).code).toBe(0);
    // Nothing holds the account any more: a reset runs through.
    const next = await client(env.operator).post(`/accounts/${accountId}/reset`, { credentialType: 'PASSWORD', generate: true }).expect(202);
    expect((await waitForJob(env.operator, next.body.id)).state).toBe('succeeded');
    await client(env.operator).post(`/accounts/${accountId}/checkout`, { pending: true }).expect(409);
  });

  it('PREVIOUS: the pending version is discarded (FAILED), the previous one stays CURRENT and a Check proves it', async () => {
    const { name, password, accountId, job } = await passwordResetLeftUnknown('PREVIOUS');
    const credentialId = job.credentialId!;
    const res = await confirm(env.operator, job.id, { targetHolds: 'PREVIOUS' }).expect(200);
    expect(res.body).toMatchObject({
      targetHolds: 'PREVIOUS',
      currentVersion: 1,
      account: { status: 'Unknown', statusReason: 'NOT_CHECKED' },
      job: { state: 'failed', errorCode: 'TARGET_KEPT_PREVIOUS' },
    });
    expect(res.body.job.errorMessage).toContain(`${env.operator.user.username} confirmed that the target holds the previous secret`);
    expect(await versionsOf(credentialId)).toEqual([
      [2, 'FAILED'],
      [1, 'CURRENT'],
    ]);
    const event = await env.pm.db.auditEvent.findFirstOrThrow({ where: { objectId: credentialId, action: 'credential.reset.confirmed' } });
    expect(event.details).toMatchObject({ targetHolds: 'PREVIOUS', after: { current: 1, failed: 2, retired: null, job: 'failed' } });

    expect((await checked(accountId)).state).toBe('succeeded');
    expect(await accountOf(env.pm, accountId)).toMatchObject({ status: 'InSync' });
    expect(await checkout(accountId)).toMatchObject({ version: 1, secret: password });
    await checkin(accountId);
    expect((await ssh(name, { password })).code).toBe(0);
    // The discarded secret is nobody's to reveal any more.
    const gone = await client(env.operator).post(`/accounts/${accountId}/checkout`, { pending: true }).expect(409);
    expect(gone.body).toMatchObject({ code: 'CONFLICT', reason: 'NOT_AWAITING_CONFIRMATION' });
  });

  it('NEW for an SSH key: the new key is CURRENT; the previous one, which the run would have removed, is reported as left in authorized_keys', async () => {
    const { name, accountId, job } = await keyResetLeftUnknown();
    const body = { credentialType: 'SSH_KEY', sshKeyType: 'ssh-ed25519' };
    const old = await checkout(accountId, body);
    await checkin(accountId);
    const res = await confirm(env.operator, job.id, { targetHolds: 'NEW' }).expect(200);
    expect(res.body.job).toMatchObject({ state: 'succeeded', errorCode: 'OLD_KEY_NOT_REMOVED' });
    expect(res.body.job.errorMessage).toContain('remove it on the host');
    const now = await checkout(accountId, body);
    await checkin(accountId);
    expect(now.version).toBe(old.version + 1);
    expect((await checked(accountId)).state).toBe('succeeded');
    expect((await ssh(name, { privateKey: now.secret })).code).toBe(0);
    // What the job says: the old key still opens the account until someone removes it.
    expect((await ssh(name, { privateKey: old.secret })).code).toBe(0);
  });
});
