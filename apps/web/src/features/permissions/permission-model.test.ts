import { describe, expect, it } from '@jest/globals';
import type { EffectivePermissions, Grant } from '@passman/contracts';
import { effectiveRows, grantsWith, grantsWithout, inheritedGrants, sortGrants } from './permission-model';

const account = { type: 'account' as const, id: 'acc', name: 'deploy' };
const folder = { type: 'folder' as const, id: 'fold', name: 'ops' };
const dba = { type: 'group' as const, id: 'g1', name: 'dba' };
const ann = { type: 'user' as const, id: 'u1', name: 'ann' };
const bob = { type: 'user' as const, id: 'u2', name: 'bob' };

const grant = (id: string, principal: typeof ann | typeof dba, action: Grant['action'], effect: Grant['effect'] = 'ALLOW'): Grant => ({
  id,
  object: account,
  principal,
  action,
  effect,
  createdAt: '2026-12-07T00:00:00.000Z',
});

describe('direct grants', () => {
  const grants = [grant('1', ann, 'check'), grant('2', dba, 'view')];

  it('are sent whole, with one added', () => {
    expect(grantsWith(grants, { principal: { type: 'user', id: 'u2' }, action: 'view', effect: 'DENY' })).toEqual([
      { principal: { type: 'user', id: 'u1' }, action: 'check', effect: 'ALLOW' },
      { principal: { type: 'group', id: 'g1' }, action: 'view', effect: 'ALLOW' },
      { principal: { type: 'user', id: 'u2' }, action: 'view', effect: 'DENY' },
    ]);
  });

  it('keep one grant per principal and right: a new effect replaces the old one', () => {
    expect(grantsWith(grants, { principal: { type: 'user', id: 'u1' }, action: 'check', effect: 'DENY' })).toEqual([
      { principal: { type: 'group', id: 'g1' }, action: 'view', effect: 'ALLOW' },
      { principal: { type: 'user', id: 'u1' }, action: 'check', effect: 'DENY' },
    ]);
  });

  it('are sent whole, with one removed', () => {
    expect(grantsWithout(grants, '1')).toEqual([{ principal: { type: 'group', id: 'g1' }, action: 'view', effect: 'ALLOW' }]);
  });

  it('are shown groups first, then users, each by name and by right', () => {
    expect(sortGrants([grant('1', ann, 'reset'), grant('2', ann, 'view'), grant('3', dba, 'check')]).map((g) => g.id)).toEqual(['3', '2', '1']);
  });
});

describe('inherited and effective rights', () => {
  // dba may view through the folder; ann is in dba, and a DENY on the account itself takes check from her.
  const viaGroup = { grantId: 'f1', object: folder, effect: 'ALLOW' as const, inherited: true, via: dba };
  const effective: EffectivePermissions = {
    object: account,
    principals: [
      {
        principal: ann,
        rights: [
          { action: 'check', allowed: false, from: [{ grantId: 'a1', object: account, effect: 'DENY', inherited: false, via: ann }] },
          { action: 'view', allowed: true, from: [viaGroup] },
          { action: 'reset', allowed: false, from: [] },
        ],
      },
      { principal: dba, rights: [{ action: 'view', allowed: true, from: [viaGroup] }] },
      { principal: bob, rights: [] },
    ],
  };

  it('lists each inherited grant once, under whom it names, though it reaches several principals', () => {
    expect(inheritedGrants(effective)).toEqual([{ grantId: 'f1', object: folder, principal: dba, action: 'view', effect: 'ALLOW' }]);
  });

  it('gives one row per principal and right some grant reaches, and tells a DENY from a right nobody granted', () => {
    expect(effectiveRows(effective).map((r) => [r.principal.name, r.action, r.allowed, r.denied])).toEqual([
      ['dba', 'view', true, false],
      ['ann', 'view', true, false],
      ['ann', 'check', false, true],
    ]);
  });
});
