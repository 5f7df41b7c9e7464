import { describe, expect, it } from '@jest/globals';
import { isMultiLineText } from '@passman/contracts/limits';
import { EXCERPT_LENGTH, outputExcerpt } from './output-excerpt.js';

const SECRET = 'Zq7#Kp2!Wm9$Rv4&';

/** Every run of `n` characters of the secret: none may survive in an excerpt. */
const fragments = (secret: string, n: number) => Array.from({ length: secret.length - n + 1 }, (_, i) => secret.slice(i, i + n));

describe('outputExcerpt', () => {
  it('blanks a secret that straddles the truncation boundary (redacts first, then keeps the tail)', () => {
    // The kept tail starts 5 characters before the end of the secret.
    const text = `${'a'.repeat(1_000)}${SECRET}${'b'.repeat(EXCERPT_LENGTH - 5)}`;
    const out = outputExcerpt(text, [SECRET]);
    for (const fragment of fragments(SECRET, 3)) expect(out).not.toContain(fragment);
    expect(out.length).toBeLessThanOrEqual(EXCERPT_LENGTH);
    expect(out.endsWith('b'.repeat(10))).toBe(true);
  });

  it('blanks every occurrence of every secret, the longer secret first when one contains another', () => {
    const short = 'Kp2!Wm9$';
    const out = outputExcerpt(`passwd: ${SECRET} then ${short} then ${SECRET}\n`, [short, SECRET]);
    expect(out).toBe('passwd: *** then *** then ***');
  });

  it('blanks the start of a secret left at the end of output that was cut where it was captured', () => {
    // The session keeps only the first 64 KiB of output: a secret can be cut there.
    const out = outputExcerpt(`error near ${SECRET.slice(0, 9)}`, [SECRET]);
    expect(out).toBe('error near ***');
  });

  it('blanks the end of a secret at the start of the output', () => {
    const out = outputExcerpt(`${SECRET.slice(-6)} was rejected`, [SECRET]);
    expect(out).toBe('*** was rejected');
  });

  it('leaves ordinary output alone and ignores empty secrets', () => {
    expect(outputExcerpt('  passwd: Authentication token manipulation error\n', ['', SECRET])).toBe('passwd: Authentication token manipulation error');
  });

  // A target's stderr ends up in job errors stored as text and jsonb: whatever a hostile host
  // prints must come out storable.
  it('replaces NUL, escape sequences and other controls, keeping tabs and newlines', () => {
    const out = outputExcerpt('passwd:\0 bad\u001b[31m red\u0007\u0085\r\n\tnext line', []);
    expect(out).toBe('passwd:\ufffd bad\ufffd[31m red\ufffd\ufffd\ufffd\n\tnext line');
    expect(isMultiLineText(out)).toBe(true);
  });

  it('replaces the bidirectional controls a host could print to reorder what a reader sees', () => {
    expect(outputExcerpt('passwd: \u202eliated\u202c ok \u2066x\u2069', [])).toBe('passwd: \ufffdliated\ufffd ok \ufffdx\ufffd');
  });

  it('never ends up with half a surrogate pair, sent or made by cutting the tail', () => {
    expect(outputExcerpt('lone \ud800 high and \udc00 low', [])).toBe('lone \ufffd high and \ufffd low');
    // 🔑 is two UTF-16 units; the cut at 500 falls between them.
    const cut = outputExcerpt(`🔑${'x'.repeat(499)}`, []);
    expect(cut).toBe(`\ufffd${'x'.repeat(499)}`);
    expect(isMultiLineText(cut)).toBe(true);
    expect(outputExcerpt(`a🔑b`, [])).toBe('a🔑b');
  });
});
