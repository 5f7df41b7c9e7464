import { describe, expect, it } from '@jest/globals';
import type { Policy } from '@passman/contracts';
import { DEFAULT_PASSWORD_POLICY, DEFAULT_PIN_POLICY } from '@passman/vault';
import { complianceOf, complianceRulesDiffer, secretCompliance, sshKeyCompliance } from './compliance.js';

// The table's defaults with a 12-character password and 3072-bit RSA keys.
const policy = { ...DEFAULT_PASSWORD_POLICY, ...DEFAULT_PIN_POLICY, passwordLength: 12, sshKeyType: 'ssh-rsa', sshKeyBits: 3072 } as Policy;

describe('compliance', () => {
  it('an account is Compliant when every assessed secret is; not assessed when none is', () => {
    expect(complianceOf([true, null, true])).toBe('Compliant');
    expect(complianceOf([true, false])).toBe('Noncompliant');
    expect(complianceOf([null])).toBeNull();
  });

  it('passwords and PINs are checked against the policy’s rules', () => {
    expect(secretCompliance('PASSWORD', 'Abcdefgh1!xy', policy)).toBe(true);
    expect(secretCompliance('PASSWORD', 'Abcdefgh1!x', policy)).toBe(false);
    expect(secretCompliance('PIN', '123456', policy)).toBe(true);
    expect(secretCompliance('PIN', '12345', policy)).toBe(false);
  });

  it('an SSH key: the policy’s type needs its size; another type complies unless weak', () => {
    expect(sshKeyCompliance({ type: 'ssh-rsa', bits: 4096 }, policy)).toBe(true);
    expect(sshKeyCompliance({ type: 'ssh-rsa', bits: 2048 }, policy)).toBe(false);
    expect(sshKeyCompliance({ type: 'ssh-rsa', bits: 2048 }, { ...policy, sshKeyBits: null })).toBe(true);
    // The policy's own type complies even when weak: the policy chose it.
    expect(sshKeyCompliance({ type: 'ssh-dss', bits: 1024 }, { ...policy, sshKeyType: 'ssh-dss', sshKeyBits: null })).toBe(true);
    // Another type: strong keys comply, weak ones do not.
    expect(sshKeyCompliance({ type: 'ssh-ed25519', bits: 256 }, policy)).toBe(true);
    expect(sshKeyCompliance({ type: 'ssh-dss', bits: 1024 }, policy)).toBe(false);
    expect(sshKeyCompliance({ type: 'ssh-rsa', bits: 1024 }, { ...policy, sshKeyType: 'ssh-ed25519' })).toBe(false);
  });

  it('only the rules a stored secret is judged by count as a change of the rules', () => {
    expect(complianceRulesDiffer(policy, { ...policy, avoidAmbiguous: true, checkoutExclusive: true, name: 'renamed' })).toBe(false);
    expect(complianceRulesDiffer(policy, { ...policy, passwordLength: 16 })).toBe(true);
    expect(complianceRulesDiffer(policy, { ...policy, excludedChars: '"' })).toBe(true);
    expect(complianceRulesDiffer(policy, { ...policy, sshKeyBits: 4096 })).toBe(true);
  });
});
