import { readFileSync } from 'node:fs';
import { describe, expect, it } from '@jest/globals';
import {
  asSingleLineText,
  CreatePolicyRequestSchema,
  EXCLUDED_CHARS_PATTERN,
  isExcludedCharsText,
  isMultiLineText,
  isOperatorUsername,
  isSingleLineText,
  isWeakSshKey,
  POLICY_DEFAULTS,
  SSH_KEY_BITS,
  SSH_KEY_TYPES,
  sshKeyTypesText,
  UsernameSchema,
} from './index.js';

// The rules every app takes from the contracts: one definition, and it says what it did before.

describe('policy defaults', () => {
  it('are what a create request without fields gets', () => {
    const { name: _name, ...created } = CreatePolicyRequestSchema.parse({ name: 'p' });
    expect(created).toEqual(POLICY_DEFAULTS);
  });

  it('match the column defaults of the policies table', () => {
    const schema = readFileSync(new URL('../../../prisma/schema.prisma', import.meta.url), 'utf8');
    const model = /model Policy \{([\s\S]*?)\n\}/.exec(schema)![1]!;
    const columns = new Map(
      [...model.matchAll(/^\s+(\w+)\s+(\w+\??)\s+([^\n]*)$/gm)].map(([, field, type, rest]) => [field!, { nullable: type!.endsWith('?'), rest: rest! }]),
    );
    for (const [field, value] of Object.entries(POLICY_DEFAULTS)) {
      const column = columns.get(field);
      expect(column).toBeDefined();
      const stated = /@default\(((?:"[^"]*")|[^)]*)\)/.exec(column!.rest)?.[1];
      if (value === null) {
        expect({ field, nullable: column!.nullable, stated }).toEqual({ field, nullable: true, stated: undefined });
      } else {
        const expected = typeof value === 'string' ? (field === 'sshKeyType' ? value.replaceAll('-', '_') : JSON.stringify(value)) : String(value);
        expect({ field, stated }).toEqual({ field, stated: expected });
      }
    }
  });
});

describe('SSH key types', () => {
  it('list each type once, with its sizes, the default size first', () => {
    expect(new Set(SSH_KEY_TYPES).size).toBe(SSH_KEY_TYPES.length);
    expect(Object.keys(SSH_KEY_BITS).sort()).toEqual([...SSH_KEY_TYPES].sort());
    expect(SSH_KEY_BITS['ssh-rsa']).toEqual([3072, 2048, 4096]);
  });

  it('call DSA and RSA under 2048 bits weak', () => {
    expect([isWeakSshKey('ssh-dss', 1024), isWeakSshKey('ssh-rsa', 1024), isWeakSshKey('ssh-rsa', 2048), isWeakSshKey('ssh-ed25519', 256)]).toEqual([
      true,
      true,
      false,
      false,
    ]);
  });

  it('are named in messages with the legacy type last', () => {
    expect(sshKeyTypesText('or')).toBe('ssh-rsa, ecdsa-sha2-nistp256, ssh-ed25519 or ssh-dss');
    expect(sshKeyTypesText('and')).toBe('ssh-rsa, ecdsa-sha2-nistp256, ssh-ed25519 and ssh-dss');
  });
});

describe('operator user names', () => {
  it.each(['admin', 'a1', 'j.doe-2_x', 'x'.repeat(64)])('accepts %s', (name) => {
    expect(isOperatorUsername(name)).toBe(true);
    expect(UsernameSchema.safeParse(name).success).toBe(true);
  });

  it.each(['a', '-admin', '.a', 'Admin', 'a b', 'x'.repeat(65), 'admin$'])('refuses %s', (name) => {
    expect(isOperatorUsername(name)).toBe(false);
  });
});

describe('excluded characters', () => {
  it('are printable ASCII without the space', () => {
    expect(isExcludedCharsText('"\'`0Oo1lI|')).toBe(true);
    expect(isExcludedCharsText('a b')).toBe(false);
    expect(isExcludedCharsText('é')).toBe(false);
    expect(isExcludedCharsText('!'.repeat(129))).toBe(false);
    expect(EXCLUDED_CHARS_PATTERN.source).toBe('^[\\x21-\\x7e]*$');
  });
});

describe('text in requests', () => {
  it('refuses the bidirectional embedding, override and isolate controls, in one line and in many', () => {
    for (const control of ['\u202a', '\u202b', '\u202c', '\u202d', '\u202e', '\u2066', '\u2067', '\u2068', '\u2069']) {
      expect(isSingleLineText(`prod${control}db`)).toBe(false);
      expect(isMultiLineText(`line one\nprod${control}db`)).toBe(false);
    }
  });

  it('keeps right-to-left text, its marks and emoji', () => {
    for (const text of ['שרת ייצור', 'خادم الإنتاج', 'db \u200f(ראשי)\u200e', 'vault 🔑']) expect(isSingleLineText(text)).toBe(true);
  });

  it('makes outside text one line: line breaks a space, other controls and lone surrogates dropped, cut without halving a surrogate pair', () => {
    expect(asSingleLineText('Eve\u001b[2J \u202eadmin\u202c\r\nroot\ud800', 200)).toBe('Eve[2J admin  root');
    expect(asSingleLineText('ab🔑', 3)).toBe('ab');
    expect(asSingleLineText('ab🔑', 4)).toBe('ab🔑');
    expect(isSingleLineText(asSingleLineText('\u0000\u0085\u2067x', 10))).toBe(true);
  });
});
