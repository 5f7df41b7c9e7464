import { describe, expect, it } from '@jest/globals';
import { isMultiLineText } from '@passman/contracts/limits';
import { outputExcerpt } from './output-excerpt.js';

// A target's stderr ends up in job errors stored as text and jsonb: whatever a hostile host
// prints must come out storable, and never with a secret of the operation in it.

describe('outputExcerpt', () => {
  it('replaces NUL, escape sequences and other controls, keeping tabs and newlines', () => {
    const out = outputExcerpt('passwd:\0 bad\u001b[31m red\u0007\u0085\r\n\tnext line', []);
    expect(out).toBe('passwd:\ufffd bad\ufffd[31m red\ufffd\ufffd\ufffd\n\tnext line');
    expect(isMultiLineText(out)).toBe(true);
  });

  it('never ends up with half a surrogate pair, sent or made by cutting the tail', () => {
    expect(outputExcerpt('lone \ud800 high and \udc00 low', [])).toBe('lone \ufffd high and \ufffd low');
    // 🔑 is two UTF-16 units; the cut at 500 falls between them.
    const cut = outputExcerpt(`🔑${'x'.repeat(499)}`, []);
    expect(cut).toBe(`\ufffd${'x'.repeat(499)}`);
    expect(isMultiLineText(cut)).toBe(true);
    expect(outputExcerpt(`a🔑b`, [])).toBe('a🔑b');
  });

  it('blanks secrets before cutting, so a secret straddling the cut shows no part of itself', () => {
    const secret = 'S3cret-Straddling-The-Cut';
    const text = `${secret}${'y'.repeat(490)}`;
    const out = outputExcerpt(text, [secret]);
    expect(out).toBe(`***${'y'.repeat(490)}`);
    for (let n = 4; n <= secret.length; n += 1) expect(out).not.toContain(secret.slice(-n));
  });
});
