import { describe, expect, it } from '@jest/globals';
import { alertEffectOf, type JobEndedNotice } from './alert-rules.js';

const end = (over: Partial<JobEndedNotice>): JobEndedNotice => ({
  accountId: 'a',
  kind: 'CHECK',
  state: 'succeeded',
  statusBefore: 'InSync',
  statusAfter: 'InSync',
  ...over,
});

describe('what a job end can do to alerts', () => {
  it('a check that neither found nor left the account NotInSync: nothing', () => {
    expect(alertEffectOf(end({}))).toBe('none');
    expect(alertEffectOf(end({ statusBefore: 'Unknown', statusAfter: 'InSync' }))).toBe('none');
    expect(alertEffectOf(end({ statusBefore: 'InSync', statusAfter: 'Unknown' }))).toBe('none');
  });

  it('a check that made the account NotInSync, or found it so: anything (not_in_sync, host_key_changed)', () => {
    expect(alertEffectOf(end({ state: 'failed', statusAfter: 'NotInSync' }))).toBe('any');
    expect(alertEffectOf(end({ statusBefore: 'NotInSync', statusAfter: 'InSync' }))).toBe('any');
    expect(alertEffectOf(end({ statusBefore: 'NotInSync', statusAfter: 'NotInSync' }))).toBe('any');
  });

  it('a check whose end says nothing of the status: anything', () => {
    expect(alertEffectOf(end({ state: 'failed', statusAfter: undefined }))).toBe('any');
  });

  it('a reset that succeeded on an account not NotInSync, which its promotion left in sync or unchecked: only resolve (its rotation is new)', () => {
    expect(alertEffectOf(end({ kind: 'RESET', statusAfter: 'InSync' }))).toBe('resolve-only');
    expect(alertEffectOf(end({ kind: 'RESET', statusBefore: 'Unknown', statusAfter: 'Unknown' }))).toBe('resolve-only');
  });

  it('a reset that succeeded but left the account NotInSync (another credential fails), or whose status is not known: anything', () => {
    expect(alertEffectOf(end({ kind: 'RESET', statusBefore: 'Unknown', statusAfter: 'NotInSync' }))).toBe('any');
    expect(alertEffectOf(end({ kind: 'RESET', statusAfter: undefined }))).toBe('any');
  });

  it('a reset that failed, is unverified, or touched a NotInSync account: anything', () => {
    expect(alertEffectOf(end({ kind: 'RESET', state: 'failed', statusAfter: undefined }))).toBe('any');
    expect(alertEffectOf(end({ kind: 'RESET', state: 'unverified', statusAfter: 'NotInSync' }))).toBe('any');
    expect(alertEffectOf(end({ kind: 'RESET', statusBefore: 'NotInSync', statusAfter: undefined }))).toBe('any');
    // A vault-only change checks the account afterwards: what it found decides.
    expect(alertEffectOf(end({ kind: 'RESET', statusAfter: 'NotInSync' }))).toBe('any');
  });
});
