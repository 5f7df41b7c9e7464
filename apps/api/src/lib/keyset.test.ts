import { describe, expect, it } from '@jest/globals';
import { decodeKeyset, encodeKeyset, keyParts } from './keyset.js';

// Cursors carry the sort key of a page's last row. A name stored before requests refused
// bidirectional controls may hold them: its cursor must still page, while real control
// characters stay refused.

const parts = [keyParts.text, keyParts.uuid] as const;
const id = '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c';

describe('keyset cursors', () => {
  it('round-trip a name that holds a bidirectional control', () => {
    const key = ['prod\u202egol.exe', id];
    expect(decodeKeyset('accounts', 'name', encodeKeyset('accounts', 'name', key), parts)).toEqual(key);
  });

  it('refuse a key with a control character, and one of another list or sort', () => {
    expect(() => decodeKeyset('accounts', 'name', encodeKeyset('accounts', 'name', ['a\u001bb', id]), parts)).toThrow(/does not belong/);
    expect(() => decodeKeyset('accounts', 'name', encodeKeyset('targets', 'name', ['a', id]), parts)).toThrow(/does not belong/);
  });
});
