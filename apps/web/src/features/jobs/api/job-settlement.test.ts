import { describe, expect, it } from '@jest/globals';
import type { Batch, Job } from '@passman/contracts';
import { isBatchDone, OUTCOME_UNKNOWN, settledJobCount } from '@passman/contracts/job-rules';
import { isJobFinished } from './get-job';

// The console stops following a job or a batch by the same rule as the API: an unverified job
// whose target could not be asked is still being recovered, so it is not finished yet.
const job = (state: Job['state'], errorCode: string | null = null) => ({ state, errorCode });
const counts = (over: Partial<Batch['counts']>): Batch['counts'] => ({ queued: 0, running: 0, succeeded: 0, failed: 0, unverified: 0, recovering: 0, ...over });

describe('job settlement in the console', () => {
  it('keeps following an unverified job that is still being recovered', () => {
    expect(isJobFinished(job('unverified', 'UNREACHABLE'))).toBe(false);
    expect(isJobFinished(job('running'))).toBe(false);
  });

  it('stops at an unverified job whose recovery gave up, and at succeeded and failed jobs', () => {
    expect(isJobFinished(job('unverified', OUTCOME_UNKNOWN))).toBe(true);
    expect(isJobFinished(job('succeeded'))).toBe(true);
    expect(isJobFinished(job('failed', 'AUTH_REJECTED'))).toBe(true);
  });

  it('counts a batch with a job in recovery as not done, and that job as not settled', () => {
    const recovering = counts({ succeeded: 3, unverified: 1, recovering: 1 });
    expect(isBatchDone(recovering)).toBe(false);
    expect(settledJobCount(recovering)).toBe(3);
    const given = counts({ succeeded: 3, unverified: 1 });
    expect(isBatchDone(given)).toBe(true);
    expect(settledJobCount(given)).toBe(4);
  });
});
