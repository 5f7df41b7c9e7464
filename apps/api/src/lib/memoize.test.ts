import { describe, expect, it } from '@jest/globals';
import { memoize } from './memoize.js';

describe('memoize', () => {
  it('loads each key once, and callers of one key share its promise', async () => {
    const loads: string[] = [];
    const load = memoize(async (key: string | null) => {
      loads.push(String(key));
      return `value of ${key}`;
    });
    const [a, b, c] = await Promise.all([load('p1'), load('p1'), load(null)]);
    expect([a, b, c]).toEqual(['value of p1', 'value of p1', 'value of null']);
    expect(await load(null)).toBe('value of null');
    expect(loads).toEqual(['p1', 'null']);
  });
});
