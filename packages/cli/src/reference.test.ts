import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import { cliReference } from './reference.js';

describe('docs/cli.md', () => {
  it('is the CLI’s own help, every command of it (npm run docs:cli writes it)', () => {
    const page = readFileSync(new URL('../../../docs/cli.md', import.meta.url), 'utf8');
    expect(page).toBe(cliReference());
    for (const command of [
      'login',
      'logout',
      'whoami',
      'check',
      'checkout',
      'checkin',
      'reset',
      'targets',
      'accounts',
      'jobs',
      'batch',
      'audit',
      'targets add',
      'accounts add',
      'jobs list',
      'jobs show',
      'batch check',
      'audit verify',
    ])
      expect(page).toContain(`## passman ${command}\n`);
  });
});
