import { describe, expect, it } from '@jest/globals';
import { hasJobSettled, isBatchDone, isBeingRecovered, JOB_STATES, OUTCOME_UNKNOWN, type BatchCounts } from './job-rules.js';

const counts = (c: Partial<BatchCounts>): BatchCounts => ({ queued: 0, running: 0, succeeded: 0, failed: 0, unverified: 0, recovering: 0, ...c });

describe('hasJobSettled', () => {
  it('settles succeeded and failed jobs, not queued or running ones', () => {
    expect(hasJobSettled({ state: 'succeeded', errorCode: null })).toBe(true);
    expect(hasJobSettled({ state: 'failed', errorCode: 'AUTH_REJECTED' })).toBe(true);
    expect(hasJobSettled({ state: 'queued', errorCode: null })).toBe(false);
    expect(hasJobSettled({ state: 'running', errorCode: 'UNREACHABLE' })).toBe(false);
  });

  it('an unverified job is settled only once recovery gave up (OUTCOME_UNKNOWN); one still being recovered is not', () => {
    const recovering = { state: 'unverified' as const, errorCode: 'UNREACHABLE' };
    const givenUp = { state: 'unverified' as const, errorCode: OUTCOME_UNKNOWN };
    expect(hasJobSettled(recovering)).toBe(false);
    expect(isBeingRecovered(recovering)).toBe(true);
    expect(hasJobSettled(givenUp)).toBe(true);
    expect(isBeingRecovered(givenUp)).toBe(false);
    expect(hasJobSettled({ state: 'unverified', errorCode: null })).toBe(false);
  });

  it('answers for every state and refuses one it does not know', () => {
    for (const state of JOB_STATES) expect(typeof hasJobSettled({ state, errorCode: null })).toBe('boolean');
    expect(() => hasJobSettled({ state: 'paused' as never, errorCode: null })).toThrow(/unknown job state paused/);
  });
});

describe('isBatchDone', () => {
  it('is done when every job is settled, counting unverified jobs that gave up as settled', () => {
    expect(isBatchDone(counts({ succeeded: 3, failed: 1 }))).toBe(true);
    expect(isBatchDone(counts({ succeeded: 3, unverified: 1, recovering: 0 }))).toBe(true);
  });

  it('is not done while a job is queued, running, or unverified and still being recovered', () => {
    expect(isBatchDone(counts({ succeeded: 3, queued: 1 }))).toBe(false);
    expect(isBatchDone(counts({ succeeded: 3, running: 1 }))).toBe(false);
    expect(isBatchDone(counts({ succeeded: 3, unverified: 1, recovering: 1 }))).toBe(false);
  });
});
