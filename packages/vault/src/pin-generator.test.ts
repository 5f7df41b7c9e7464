import { describe, it, expect } from '@jest/globals';
import { chiSquareCritical, chiSquareUniform } from './chi-square.test-util.js';
import { generatePin } from './pin-generator.js';

describe('generatePin', () => {
  it('makes PINs of 4 to 12 digits', () => {
    for (let pinLength = 4; pinLength <= 12; pinLength += 1) expect(generatePin({ pinLength })).toMatch(new RegExp(`^[0-9]{${pinLength}}$`));
  });

  it('draws digits uniformly', () => {
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < 20_000; i += 1) for (const d of generatePin({ pinLength: 6 })) counts[Number(d)]! += 1;
    expect(chiSquareUniform(counts)).toBeLessThan(chiSquareCritical(9));
  });

  it('refuses lengths outside 4–12', () => {
    for (const pinLength of [3, 13, 0, 6.5, Number.NaN]) {
      expect(() => generatePin({ pinLength })).toThrow(expect.objectContaining({ code: 'POLICY_INVALID' }));
    }
  });
});
