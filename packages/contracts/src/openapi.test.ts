import { describe, expect, it } from '@jest/globals';
import { buildOpenApiDocument } from './openapi.js';

/** Every `pattern` keyword anywhere in the document, with where it is. */
function patterns(node: unknown, at = '#', found: { at: string; pattern: unknown }[] = []) {
  if (Array.isArray(node)) node.forEach((item, i) => patterns(item, `${at}/${i}`, found));
  else if (node && typeof node === 'object') {
    for (const [key, value] of Object.entries(node)) {
      if (key === 'pattern' && typeof value !== 'object') found.push({ at: `${at}/pattern`, pattern: value });
      else patterns(value, `${at}/${key}`, found);
    }
  }
  return found;
}

describe('the OpenAPI document', () => {
  const doc = buildOpenApiDocument({ version: 'test' });
  const found = patterns(doc);

  it('has patterns (so the checks below check something)', () => {
    expect(found.length).toBeGreaterThan(5);
  });

  it.each(found.map((f) => [f.at, f.pattern]))('%s is a plain ECMA-262 regular expression source', (_at, pattern) => {
    expect(typeof pattern).toBe('string');
    const source = pattern as string;
    expect(source.startsWith('/')).toBe(false);
    // No `/flags` left over from a JavaScript regex literal.
    expect(source).not.toMatch(/(?<!\\)\/[dgimsuvy]+$/);
    expect(() => new RegExp(source, 'u')).not.toThrow();
  });

  it('keeps the meaning of a pattern written with the u flag', () => {
    const controlFree = found.map((f) => f.pattern as string).find((p) => p.includes('\\p{Cc}'));
    expect(controlFree).toBeDefined();
    const re = new RegExp(controlFree!, 'u');
    expect(re.test('plain text')).toBe(true);
    expect(re.test('nul\u0000here')).toBe(false);
  });
});
