import { describe, expect, it } from '@jest/globals';
import type { Credential } from '@passman/contracts';
import { autoResetPlan } from './auto-reset-plan';

let seq = 0;
function credential(type: Credential['type'], sshKeyType: Credential['sshKeyType'] = null): Credential {
  seq += 1;
  const at = '2026-01-01T00:00:00.000Z';
  return { id: `c${seq}`, accountId: 'a', type, sshKeyType, weak: false, current: null, lastCheck: null, createdAt: at, updatedAt: at };
}

describe('autoResetPlan', () => {
  it('takes the password, whatever else the account holds', () => {
    const password = credential('PASSWORD');
    expect(autoResetPlan([credential('SSH_KEY', 'ssh-rsa'), password, credential('PIN')]).credential).toBe(password);
  });

  it('takes the only credential when there is no password', () => {
    const key = credential('SSH_KEY', 'ssh-ed25519');
    expect(autoResetPlan([key])).toEqual({ credential: key });
  });

  it('refuses to guess between several credentials without a password', () => {
    expect(autoResetPlan([credential('SSH_KEY', 'ssh-rsa'), credential('SSH_KEY', 'ssh-ed25519')])).toEqual({ refusal: 'ambiguous' });
  });

  it('refuses a lone PIN (never changed on an SSH target) and an account without credentials', () => {
    expect(autoResetPlan([credential('PIN')])).toEqual({ refusal: 'pinOnly' });
    expect(autoResetPlan([])).toEqual({ refusal: 'noCredential' });
  });
});
