import { describe, expect, it } from '@jest/globals';
import { allRoutes, buildOpenApiDocument } from './openapi.js';

// The OpenAPI document is what integrators (and the fuzz test) read: it must state the input
// rules the API enforces, and every text field of every request must carry the text rule.

type Schema = Record<string, unknown> & { $ref?: string };
type Operation = {
  parameters?: { name: string; in: string; schema: Schema }[];
  requestBody?: { content: Record<string, { schema: Schema }> };
  responses: Record<string, unknown>;
};

const doc = buildOpenApiDocument({ version: 'test' }) as unknown as {
  paths: Record<string, Record<string, Operation>>;
  components: { schemas: Record<string, Schema> };
};
const operations = Object.entries(doc.paths).flatMap(([path, methods]) =>
  Object.entries(methods).map(([method, op]) => ({ name: `${method.toUpperCase()} ${path}`, op })),
);

const resolve = (schema: Schema): Schema => (schema.$ref ? resolve(doc.components.schemas[schema.$ref.split('/').pop()!]!) : schema);

/** Every string-typed node of a schema, with where it is. */
function stringNodes(schema: Schema, where: string, seen = new Set<Schema>()): { where: string; node: Schema }[] {
  const node = resolve(schema);
  if (seen.has(node)) return [];
  seen.add(node);
  const out: { where: string; node: Schema }[] = [];
  const types = ([] as unknown[]).concat(node.type ?? []);
  if (types.includes('string')) out.push({ where, node });
  for (const [key, value] of Object.entries((node.properties as Record<string, Schema>) ?? {})) out.push(...stringNodes(value, `${where}.${key}`, seen));
  if (node.items) out.push(...stringNodes(node.items as Schema, `${where}[]`, seen));
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) for (const sub of (node[key] as Schema[]) ?? []) out.push(...stringNodes(sub, where, seen));
  if (node.additionalProperties && typeof node.additionalProperties === 'object')
    out.push(...stringNodes(node.additionalProperties as Schema, `${where}{}`, seen));
  return out;
}

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

const HOSTILE = ['x\u0000y', 'x\ud800', '\udc00x', 'x\u001b[31m', 'x\u0085', 'x\u007f'];

describe('the OpenAPI document', () => {
  it('has operations to check', () => {
    expect(operations.length).toBeGreaterThan(30);
  });

  it.each(operations.map((o) => [o.name, o.op] as const))('%s: every text field refuses NUL, lone surrogates and control characters', (_name, op) => {
    const nodes = [
      ...(op.parameters ?? []).flatMap((p) => stringNodes(p.schema, `${p.in}.${p.name}`)),
      ...Object.values(op.requestBody?.content ?? {}).flatMap((c) => stringNodes(c.schema, 'body')),
    ];
    for (const { where, node } of nodes) {
      // An uploaded file (format binary) is bytes, not text: the route reads and checks it itself.
      if (Array.isArray(node.enum) || node.const !== undefined || node.format === 'uuid' || node.format === 'date-time' || node.format === 'binary') continue;
      expect([where, typeof node.pattern]).toEqual([where, 'string']);
      for (const flags of ['', 'u']) {
        const pattern = new RegExp(node.pattern as string, flags);
        expect([where, flags, HOSTILE.filter((text) => pattern.test(text))]).toEqual([where, flags, []]);
      }
    }
  });

  it.each(operations.map((o) => [o.name, o.op] as const))('%s documents 422 for its input and 415/413 for its body', (_name, op) => {
    const takesInput = (op.parameters ?? []).length > 0 || op.requestBody !== undefined;
    expect(op.responses['422'] !== undefined).toBe(takesInput);
    expect(op.responses['415'] !== undefined).toBe(op.requestBody !== undefined);
    expect(op.responses['413'] !== undefined).toBe(op.requestBody !== undefined);
    expect(op.responses['400']).toBeDefined();
  });
});

describe('the patterns of the OpenAPI document', () => {
  const found = patterns(doc);

  it('are there (so the checks below check something)', () => {
    expect(found.length).toBeGreaterThan(5);
  });

  // What each one means, with and without the u flag, is checked per operation above.
  it.each(found.map((f) => [f.at, f.pattern]))('%s is a plain ECMA-262 regular expression source', (_at, pattern) => {
    expect(typeof pattern).toBe('string');
    const source = pattern as string;
    expect(source.startsWith('/')).toBe(false);
    // No `/flags` left over from a JavaScript regex literal.
    expect(source).not.toMatch(/(?<!\\)\/[dgimsuvy]+$/);
    expect(() => new RegExp(source, 'u')).not.toThrow();
  });
});

describe('the examples of the request bodies', () => {
  const withExample = operations.flatMap(({ name, op }) => {
    const example = op.requestBody ? resolve(Object.values(op.requestBody.content)[0]!.schema).example : undefined;
    return example === undefined ? [] : [[name, (op as Operation & { operationId: string }).operationId, example] as const];
  });

  it('there are some (clients and the fuzz test start from them)', () => {
    expect(withExample.length).toBeGreaterThan(5);
  });

  it.each(withExample)('%s: the example passes the schema the API validates with', (_name, operationId, example) => {
    const route = allRoutes().find((r) => r.operationId === operationId)!;
    expect(route.body!.safeParse(example).error?.issues ?? []).toEqual([]);
  });
});
