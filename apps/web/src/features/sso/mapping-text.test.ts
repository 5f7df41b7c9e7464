import { describe, expect, it } from '@jest/globals';
import { formatMappingLines, groupMapping, parseMappingLines, roleMapping } from './mapping-text';

describe('mapping text', () => {
  it('reads one "value = target" a line, skipping blank lines and naming the broken ones', () => {
    expect(parseMappingLines('a = b\n\n  c=d  \nbroken\n= nothing\n')).toEqual({
      lines: [
        { value: 'a', target: 'b', number: 1 },
        { value: 'c', target: 'd', number: 3 },
      ],
      errors: [4, 5],
    });
  });

  it('keeps an equals sign inside the claim value (the last one splits)', () => {
    expect(parseMappingLines('CN=Admins,OU=Groups = admin').lines).toEqual([{ value: 'CN=Admins,OU=Groups', target: 'admin', number: 1 }]);
  });

  it('maps roles by name, any case, and names lines with an unknown role', () => {
    expect(roleMapping('passman-admins = Admin\nops = operator\nx = root')).toEqual({
      mapping: [
        { value: 'passman-admins', role: 'admin' },
        { value: 'ops', role: 'operator' },
      ],
      badLines: [3],
    });
  });

  it('maps groups by name to their ids, and names lines whose group does not exist', () => {
    const groups = [{ id: 'g1', name: 'Blue Team' }];
    expect(groupMapping('blue = blue team\n\nred = Red Team\nbad line', groups)).toEqual({ mapping: [{ value: 'blue', groupId: 'g1' }], badLines: [3, 4] });
  });

  it('writes mappings back in the same form', () => {
    expect(formatMappingLines([{ value: 'a', target: 'admin' }])).toBe('a = admin');
  });
});
