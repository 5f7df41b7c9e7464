import { describe, expect, it } from '@jest/globals';
import { IntlMessageFormat } from 'intl-messageformat';
import { enUS } from './en-US';
import { t } from './index';

describe('the message catalogue', () => {
  it('has only messages that parse as ICU MessageFormat', () => {
    const broken = Object.entries(enUS).flatMap(([key, message]) => {
      try {
        new IntlMessageFormat(message, 'en-US');
        return [];
      } catch (error) {
        return [`${key}: ${(error as Error).message}`];
      }
    });
    expect(broken).toEqual([]);
  });

  it('picks the plural form from the count', () => {
    expect(t('bulk.checkTitle', { count: 1 })).toBe('Check 1 account');
    expect(t('bulk.checkTitle', { count: 3 })).toBe('Check 3 accounts');
    expect(t('policies.days', { days: 1 })).toBe('every day');
    expect(t('policies.days', { days: 90 })).toBe('every 90 days');
    expect(t('policies.deleteBody', { count: 0 })).toBe('No account uses it.');
    expect(t('users.tokens.scopeCount', { count: 1 })).toBe('1 scope');
    expect(t('audit.verify.broken', { count: 1, checked: 1200, rows: '7' })).toBe('The chain is broken: 1 problem in 1,200 events (7).');
    expect(t('folders.counts', { folders: 1, targets: 0, accounts: 12 })).toBe('1 folder, no targets, 12 accounts');
    expect(t('folders.delete.holds', { folders: 2, targets: 1, accounts: 0 })).toBe('It holds 2 folders, 1 target and no accounts (as far as you can see).');
    expect(t('groups.memberCount', { count: 0 })).toBe('No members');
    expect(t('bulk.refused', { count: 2 })).toBe('2 accounts were left out:');
    expect(t('picker.count', { count: 1 })).toBe('1 match');
    expect(t('picker.count', { count: 12 })).toBe('12 matches');
    expect(t('picker.more', { count: 1 })).toBe('The first match is shown: type more to find others.');
    expect(t('picker.more', { count: 20 })).toBe('The first 20 matches are shown: type more to find others.');
  });

  it('fills placeholders, and leaves a message whole when a value is missing', () => {
    expect(t('accounts.accountOnTarget', { account: 'deploy', target: 'db-01' })).toBe('deploy on db-01');
    expect(t('accounts.accountOnTarget')).toBe('{account} on {target}');
  });
});
