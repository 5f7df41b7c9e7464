import { describe, expect, it } from '@jest/globals';
import { mayChangeAlerts, type JobEndedNotice } from './alert-rules.js';

const end = (over: Partial<JobEndedNotice>): JobEndedNotice => ({ accountId: 'a', kind: 'CHECK', statusBefore: 'InSync', statusAfter: 'InSync', ...over });

describe('which job ends can change an alert', () => {
  it('a check that neither found nor left the account NotInSync cannot', () => {
    expect(mayChangeAlerts(end({}))).toBe(false);
    expect(mayChangeAlerts(end({ statusBefore: 'Unknown', statusAfter: 'InSync' }))).toBe(false);
    expect(mayChangeAlerts(end({ statusBefore: 'InSync', statusAfter: 'Unknown' }))).toBe(false);
  });

  it('a check that made the account NotInSync, or found it so, can (not_in_sync, host_key_changed)', () => {
    expect(mayChangeAlerts(end({ statusAfter: 'NotInSync' }))).toBe(true);
    expect(mayChangeAlerts(end({ statusBefore: 'NotInSync', statusAfter: 'InSync' }))).toBe(true);
    expect(mayChangeAlerts(end({ statusBefore: 'NotInSync', statusAfter: 'NotInSync' }))).toBe(true);
  });

  it('a check whose end says nothing of the status can, and so can every reset', () => {
    expect(mayChangeAlerts(end({ statusAfter: undefined }))).toBe(true);
    expect(mayChangeAlerts(end({ kind: 'RESET' }))).toBe(true);
    expect(mayChangeAlerts(end({ kind: 'RESET', statusAfter: undefined }))).toBe(true);
  });
});
