import { describe, expect, it } from '@jest/globals';
import { accountStatusOf } from './account-status.js';

const c = (slot: string, lastCheckOk: boolean | null, lastCheckCode: string | null = null) => ({ slot, lastCheckOk, lastCheckCode });

describe('account status from credential checks', () => {
  it('is InSync only when every checkable credential works', () => {
    expect(accountStatusOf([c('password', true), c('ssh-rsa', true)])).toEqual({ status: 'InSync', statusReason: null });
  });

  it('is NotInSync with the first failure by slot, whatever the order given', () => {
    expect(accountStatusOf([c('ssh-rsa', false, 'AUTH_REJECTED'), c('password', true), c('ecdsa-sha2-nistp256', false, 'UNREACHABLE')])).toEqual({
      status: 'NotInSync',
      statusReason: 'UNREACHABLE',
    });
  });

  it('is Unknown with nothing to check or something never checked', () => {
    expect(accountStatusOf([])).toEqual({ status: 'Unknown', statusReason: 'NO_CREDENTIALS' });
    expect(accountStatusOf([c('password', true), c('ssh-ed25519', null)])).toEqual({ status: 'Unknown', statusReason: 'NOT_CHECKED' });
  });
});
