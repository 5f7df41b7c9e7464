import { describe, expect, it } from '@jest/globals';
import { SearchTextSchema } from '@passman/contracts';
import { searchQueryOf } from './search-text';

describe('searchQueryOf', () => {
  it('sends what the API accepts as a search: trimmed, control characters as spaces', () => {
    expect(searchQueryOf('  ada ')).toBe('ada');
    expect(searchQueryOf('ada\tlovelace')).toBe('ada lovelace');
    expect(searchQueryOf('\u0007ada\u009f')).toBe('ada');
    expect(searchQueryOf('50% a_b')).toBe('50% a_b');
    expect(searchQueryOf(' \t ')).toBe('');
    for (const text of ['ada\tlovelace', '\u0007ada\u009f', 'x\ny']) expect(SearchTextSchema.safeParse(searchQueryOf(text)).success).toBe(true);
  });
});
