import { describe, it, expect } from '@jest/globals';
import { checkPasswordCompliance, checkPinCompliance } from './password-compliance.js';
import { generatePassword } from './password-generator.js';
import { DEFAULT_PASSWORD_POLICY, type PasswordPolicy } from './password-policy.js';
import { MAX_PASSWORD_BYTES } from '@passman/contracts/limits';
import { assertSafeSecret, isSafeSecret } from './safe-secret.js';

const policy = (overrides: Partial<PasswordPolicy> = {}): PasswordPolicy => ({ ...DEFAULT_PASSWORD_POLICY, ...overrides });
const codes = (secret: string, p: PasswordPolicy) => checkPasswordCompliance(secret, p).reasons.map((r) => r.code);

describe('checkPasswordCompliance', () => {
  it('accepts what the generator makes from the same policy', () => {
    for (const p of [policy(), policy({ passwordLength: 8, useSymbols: false, excludedChars: 'abc' }), policy({ avoidAmbiguous: true })]) {
      for (let i = 0; i < 200; i += 1) expect(checkPasswordCompliance(generatePassword(p), p)).toEqual({ compliant: true, reasons: [] });
    }
  });

  it('says what is missing without quoting the secret', () => {
    const p = policy({ passwordLength: 12, minDigits: 2 });
    const result = checkPasswordCompliance('abcDEF1', p);
    expect(result.compliant).toBe(false);
    expect(result.reasons.map((r) => r.code)).toEqual(['TOO_SHORT', 'TOO_FEW_DIGITS', 'TOO_FEW_SYMBOLS']);
    expect(JSON.stringify(result)).not.toContain('abcDEF1');
  });

  it('flags excluded characters, classes the policy leaves out and control characters', () => {
    expect(codes('Abcdefgh12345!xyz$wq', policy({ excludedChars: '$' }))).toEqual(['EXCLUDED_CHARACTER']);
    expect(codes('Abcdefgh12345!xyz#wq', policy({ useSymbols: false }))).toEqual(['CLASS_NOT_ALLOWED']);
    expect(codes('Abcdefgh12345!xyz\twq', policy())).toEqual(['CONTROL_CHARACTER']);
  });

  it('counts characters, not UTF-16 units, and allows characters outside the classes', () => {
    expect(codes('Aa1!🔑🔑🔑🔑', policy({ passwordLength: 8 }))).toEqual([]);
    expect(codes('Aa1!🔑🔑🔑', policy({ passwordLength: 8 }))).toEqual(['TOO_SHORT']);
  });
});

describe('checkPinCompliance', () => {
  it('wants digits only, at least the policy length', () => {
    expect(checkPinCompliance('123456', { pinLength: 6 }).compliant).toBe(true);
    expect(checkPinCompliance('12345', { pinLength: 6 }).reasons.map((r) => r.code)).toEqual(['TOO_SHORT']);
    expect(checkPinCompliance('12a456', { pinLength: 6 }).reasons.map((r) => r.code)).toEqual(['NOT_DIGITS']);
  });
});

describe('assertSafeSecret', () => {
  it('refuses newline, carriage return and NUL (chpasswd record injection), other controls, broken text, more than PAM takes, and empty secrets', () => {
    for (const bad of [
      'a\nb',
      'a\rb',
      'a\0b',
      'pw\n',
      'esc\u001b',
      'half\ud800',
      'x'.repeat(MAX_PASSWORD_BYTES + 1),
      '€'.repeat(171),
      Buffer.from('a\nb'),
      Buffer.from([0x41, 0x00]),
      Buffer.from([0xc3, 0x28]),
    ]) {
      expect(() => assertSafeSecret(bad)).toThrow(expect.objectContaining({ code: 'SECRET_UNSAFE' }));
      expect(isSafeSecret(bad)).toBe(false);
    }
    expect(() => assertSafeSecret('')).toThrow(expect.objectContaining({ code: 'SECRET_EMPTY' }));
    expect(() => assertSafeSecret(Buffer.alloc(0))).toThrow(expect.objectContaining({ code: 'SECRET_EMPTY' }));
  });

  it('accepts anything else, and never quotes the secret', () => {
    for (const ok of ['p@ss w0rd:with:colons', 'tab\there', 'ünïcødé🔑', Buffer.from('bytes'), 'x'.repeat(MAX_PASSWORD_BYTES), `${'€'.repeat(170)}x`])
      expect(() => assertSafeSecret(ok)).not.toThrow();
    try {
      assertSafeSecret('hunter2\nroot:x');
    } catch (error) {
      expect(String((error as Error).message)).not.toContain('hunter2');
    }
  });
});
