import { describe, it, expect } from '@jest/globals';
import { randomBytes } from 'node:crypto';
import { chiSquareCritical, chiSquareTable, chiSquareUniform } from './chi-square.test-util.js';
import { generatePassword, resolvePasswordPolicy } from './password-generator.js';
import { AMBIGUOUS_CHARS, CHARACTER_CLASSES, DEFAULT_PASSWORD_POLICY, type CharacterClassName, type PasswordPolicy } from './password-policy.js';
import { createRandomSampler } from './random.js';
import { VaultError, type VaultErrorCode } from './vault-error.js';

const ALL = Object.values(CHARACTER_CLASSES).join('');
const policy = (overrides: Partial<PasswordPolicy> = {}): PasswordPolicy => ({ ...DEFAULT_PASSWORD_POLICY, ...overrides });
const noMinimums = { minLowercase: 0, minUppercase: 0, minDigits: 0, minSymbols: 0 };
const classOf = (c: string): CharacterClassName =>
  (Object.keys(CHARACTER_CLASSES) as CharacterClassName[]).find((name) => CHARACTER_CLASSES[name].includes(c))!;
const count = (s: string, name: CharacterClassName) => [...s].filter((c) => CHARACTER_CLASSES[name].includes(c)).length;

function codeOf(fn: () => unknown): VaultErrorCode | 'no error' {
  try {
    fn();
    return 'no error';
  } catch (error) {
    if (error instanceof VaultError) return error.code;
    throw error;
  }
}

describe('generatePassword: distribution', () => {
  it('draws every allowed character equally often (chi-square, p≈1e-9 false-failure rate)', () => {
    const counts = new Map<string, number>([...ALL].map((c) => [c, 0]));
    const p = policy({ passwordLength: 64, ...noMinimums });
    for (let i = 0; i < 10_000; i += 1) {
      for (const c of generatePassword(p)) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(counts.size).toBe(94); // nothing outside the 94 printable ASCII characters
    const statistic = chiSquareUniform([...counts.values()]);
    expect(statistic).toBeLessThan(chiSquareCritical(93));
  });

  it('has the statistical power to catch modulo bias', () => {
    // The same test applied to the naive `byte % 94` generator fails.
    const counts = new Array<number>(94).fill(0);
    const bytes = randomBytes(640_000);
    for (const b of bytes) counts[b % 94]! += 1;
    expect(chiSquareUniform(counts)).toBeGreaterThan(chiSquareCritical(93));
  });

  it('keeps characters uniform within each class when minimums force them', () => {
    // length 16 = 4 + 4 + 4 + 4: every character is a required one
    const p = policy({ passwordLength: 16, minLowercase: 4, minUppercase: 4, minDigits: 4, minSymbols: 4 });
    const counts = new Map<string, number>([...ALL].map((c) => [c, 0]));
    let wrongCounts = 0;
    for (let i = 0; i < 20_000; i += 1) {
      const pw = generatePassword(p);
      for (const name of Object.keys(CHARACTER_CLASSES) as CharacterClassName[]) if (count(pw, name) !== 4) wrongCounts += 1;
      for (const c of pw) counts.set(c, (counts.get(c) ?? 0) + 1);
    }
    expect(wrongCounts).toBe(0);
    for (const chars of Object.values(CHARACTER_CLASSES)) {
      const classCounts = [...chars].map((c) => counts.get(c)!);
      expect(chiSquareUniform(classCounts)).toBeLessThan(chiSquareCritical(chars.length - 1));
    }
  });

  it('places required characters at every position alike (shuffle homogeneity)', () => {
    const p = policy({ passwordLength: 8, minLowercase: 1, minUppercase: 1, minDigits: 3, minSymbols: 1 });
    const names: CharacterClassName[] = ['lowercase', 'uppercase', 'digits', 'symbols'];
    const table = Array.from({ length: 8 }, () => [0, 0, 0, 0]);
    for (let i = 0; i < 40_000; i += 1) {
      [...generatePassword(p)].forEach((c, pos) => (table[pos]![names.indexOf(classOf(c))]! += 1));
    }
    const { statistic, df } = chiSquareTable(table);
    expect(statistic).toBeLessThan(chiSquareCritical(df));
  });

  it('samples indices and permutations uniformly', () => {
    const random = createRandomSampler();
    for (const n of [3, 94, 200, 1000]) {
      const counts = new Array<number>(n).fill(0);
      for (let i = 0; i < n * 300; i += 1) counts[random.index(n)]! += 1;
      expect([n, chiSquareUniform(counts) < chiSquareCritical(n - 1)]).toEqual([n, true]);
    }
    const perms = new Map<string, number>();
    for (let i = 0; i < 48_000; i += 1) {
      const key = random.shuffle(['a', 'b', 'c', 'd']).join('');
      perms.set(key, (perms.get(key) ?? 0) + 1);
    }
    expect(perms.size).toBe(24);
    expect(chiSquareUniform([...perms.values()])).toBeLessThan(chiSquareCritical(23));
    random.wipe();
  });
});

describe('generatePassword: rules', () => {
  function randomPolicy(): PasswordPolicy {
    const r = createRandomSampler();
    const length = 8 + r.index(121);
    const p = policy({
      passwordLength: length,
      useLowercase: r.index(4) > 0,
      useUppercase: r.index(4) > 0,
      useDigits: r.index(4) > 0,
      useSymbols: r.index(4) > 0,
      minLowercase: r.index(4),
      minUppercase: r.index(4),
      minDigits: r.index(4),
      minSymbols: r.index(4),
      excludedChars: Array.from({ length: r.index(20) }, () => ALL[r.index(ALL.length)]).join(''),
      avoidAmbiguous: r.index(2) === 1,
    });
    r.wipe();
    return p;
  }

  it('meets every minimum and never emits an excluded, look-alike, control or whitespace character', () => {
    // Plain checks collecting violations: one jest `expect` per character would take minutes.
    const violations: string[] = [];
    let checked = 0;
    for (let i = 0; i < 3_000; i += 1) {
      const p = randomPolicy();
      let resolved;
      try {
        resolved = resolvePasswordPolicy(p);
      } catch (error) {
        expect((error as VaultError).code).toBe('POLICY_UNSATISFIABLE');
        continue;
      }
      for (let j = 0; j < 5; j += 1) {
        const pw = generatePassword(p);
        checked += 1;
        const bad = (what: string) => violations.push(`${what} in ${JSON.stringify(pw)} for ${JSON.stringify(p)}`);
        if (pw.length !== p.passwordLength) bad('wrong length');
        if (!/^[\x21-\x7e]+$/.test(pw)) bad('non-printable or whitespace'); // no \n \r NUL, space or other control
        for (const c of pw) {
          if (p.excludedChars.includes(c)) bad(`excluded ${c}`);
          if (p.avoidAmbiguous && AMBIGUOUS_CHARS.includes(c)) bad(`look-alike ${c}`);
          if (!resolved.alphabet.includes(c)) bad(`outside the alphabet ${c}`);
        }
        for (const { name, min } of resolved.classes) if (count(pw, name) < min) bad(`too few ${name}`);
        if (!p.useLowercase && count(pw, 'lowercase') > 0) bad('lowercase not allowed');
        if (!p.useUppercase && count(pw, 'uppercase') > 0) bad('uppercase not allowed');
        if (!p.useDigits && count(pw, 'digits') > 0) bad('digits not allowed');
        if (!p.useSymbols && count(pw, 'symbols') > 0) bad('symbols not allowed');
      }
    }
    expect(violations.slice(0, 5)).toEqual([]);
    expect(checked).toBeGreaterThan(5_000);
  });

  it('ignores the minimum of a class the policy does not use (the table defaults it to 1)', () => {
    const pw = generatePassword(policy({ useSymbols: false, minSymbols: 1 }));
    expect(count(pw, 'symbols')).toBe(0);
  });

  it('drops a class whose characters are all excluded when it has no minimum', () => {
    const pw = generatePassword(policy({ excludedChars: CHARACTER_CLASSES.digits, minDigits: 0 }));
    expect(count(pw, 'digits')).toBe(0);
  });

  it('refuses unsatisfiable policies with POLICY_UNSATISFIABLE', () => {
    const cases: Partial<PasswordPolicy>[] = [
      { passwordLength: 8, minLowercase: 3, minUppercase: 3, minDigits: 3, minSymbols: 0 },
      { excludedChars: CHARACTER_CLASSES.digits, minDigits: 1 },
      { useLowercase: false, useUppercase: false, useDigits: false, useSymbols: false },
      { excludedChars: ALL, ...noMinimums },
      { useLowercase: false, useUppercase: false, useSymbols: false, excludedChars: '23456789', avoidAmbiguous: true },
    ];
    for (const c of cases) expect([c, codeOf(() => generatePassword(policy(c)))]).toEqual([c, 'POLICY_UNSATISFIABLE']);
  });

  it('refuses malformed policies with POLICY_INVALID', () => {
    const cases: Partial<PasswordPolicy>[] = [
      { passwordLength: 7 },
      { passwordLength: 129 },
      { passwordLength: 12.5 },
      { minDigits: -1 },
      { minSymbols: 1.5 },
      { useDigits: 'yes' as unknown as boolean },
      { excludedChars: null as unknown as string },
    ];
    for (const c of cases) expect([c, codeOf(() => generatePassword(policy(c)))]).toEqual([c, 'POLICY_INVALID']);
    expect(generatePassword(policy({ passwordLength: 8 }))).toHaveLength(8);
    expect(generatePassword(policy({ passwordLength: 128 }))).toHaveLength(128);
  });
});
