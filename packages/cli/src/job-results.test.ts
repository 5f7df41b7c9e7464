import { describe, expect, it } from '@jest/globals';
import { OUTCOME_UNKNOWN, type Job } from '@passman/sdk';
import { resetResultLines } from './commands/job-results.js';

const ID = '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c';

function resetJob(outcome: Pick<Job, 'state' | 'errorCode'>): Job {
  return {
    id: ID,
    kind: 'RESET',
    account: { id: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8d', username: 'deploy', targetId: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8e', targetName: 'web-01' },
    credentialId: null,
    batchId: null,
    requestedBy: null,
    params: {},
    results: [],
    errorMessage: null,
    attempts: 1,
    steps: [],
    createdAt: '2026-05-01T08:00:00.000Z',
    startedAt: '2026-05-01T08:00:01.000Z',
    finishedAt: '2026-05-01T08:00:09.000Z',
    ...outcome,
  };
}

// A reset the worker left with an unknown outcome cannot be had from a real target in a test's
// time (its recovery lasts hours), so the lines `reset --wait` prints for it are checked here.
describe('reset --wait: the result for people', () => {
  it('names the job, whether the reset succeeded or not', () => {
    expect(resetResultLines('web-01/deploy', resetJob({ state: 'succeeded', errorCode: null }))).toBe(`reset: web-01/deploy (job ${ID})\n`);
    expect(resetResultLines('web-01/deploy', resetJob({ state: 'failed', errorCode: 'AUTH_REJECTED' }))).toBe(
      `reset failed: web-01/deploy (AUTH_REJECTED, job ${ID})\n`,
    );
  });

  it('for an unknown outcome, a second line says how to settle it: the pending secret to try, then confirm-outcome with the job', () => {
    expect(resetResultLines('web-01/deploy', resetJob({ state: 'unverified', errorCode: OUTCOME_UNKNOWN }))).toBe(
      `reset unverified: web-01/deploy (OUTCOME_UNKNOWN, job ${ID})\n` +
        `settle it: passman jobs confirm-outcome ${ID} --target-holds new|previous ` +
        '(passman checkout --pending web-01/deploy reveals the new secret to try on the target)\n',
    );
  });

  it('gives no such line for a reset still being recovered: the worker will settle that one', () => {
    expect(resetResultLines('web-01/deploy', resetJob({ state: 'unverified', errorCode: 'UNREACHABLE' }))).toBe(
      `reset unverified: web-01/deploy (UNREACHABLE, job ${ID})\n`,
    );
  });
});
