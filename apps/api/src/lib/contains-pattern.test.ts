import { describe, expect, it } from '@jest/globals';
import { containsPattern } from './contains-pattern.js';

describe('containsPattern', () => {
  it('wraps the text in % and escapes the pattern characters and the escape itself', () => {
    expect(containsPattern('ada')).toBe('%ada%');
    expect(containsPattern('50%')).toBe('%50\\%%');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
    expect(containsPattern('c:\\d')).toBe('%c:\\\\d%');
  });
});
