import fc from 'fast-check';

/**
 * fast-check arbitraries from the JSON Schemas of the OpenAPI document: values that pass the
 * schema most of the time (so requests get past validation and reach the services), and
 * hostile mutations of them. Only the JSON Schema the document holds is read, so schemas and
 * routes added later are fuzzed without changes here.
 */
export type JsonSchema = {
  $ref?: string;
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  format?: string;
  pattern?: string;
  minLength?: number;
  maxLength?: number;
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: number;
  exclusiveMaximum?: number;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  items?: JsonSchema;
  minItems?: number;
  maxItems?: number;
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  allOf?: JsonSchema[];
  example?: unknown;
  default?: unknown;
  nullable?: boolean;
};

export interface SchemaContext {
  /** Resolves `#/components/schemas/Name`. */
  resolve(ref: string): JsonSchema;
  /**
   * Ids of real rows for a uuid field or parameter named `name` (e.g. accountId), or none. The
   * list is live: rows the run deletes leave it and new ones join, so a pick is made from it
   * when a request is generated.
   */
  idsFor(name: string): readonly string[];
}

/** Strings that have broken servers: NUL, lone surrogates, controls, encodings, injections, sizes. */
export const hostileString: fc.Arbitrary<string> = fc.oneof(
  fc.constantFrom(
    '\u0000',
    'a\u0000b',
    '\ud800',
    'x\udfff',
    '\udc00\ud800',
    '\u001b[2J\u001b[31m',
    'line\nbreak',
    'cr\rlf',
    '\u0085\u2028\u2029',
    '\u007f',
    '\u202etxt.exe',
    '\ufeff',
    '%00',
    '%E0%A4%A',
    '%',
    '\\u0000',
    '../../../etc/passwd',
    "'; DROP TABLE accounts; --",
    '${jndi:ldap://127.0.0.1/x}',
    '<script>alert(1)</script>',
    '',
    ' ',
    '0000-01-01T00:00:00Z',
    '+275760-09-13T00:00:00Z',
    '9999999999999999999999999',
    '-1',
    'NaN',
    'true',
    'null',
    '__proto__',
    '00000000-0000-0000-0000-000000000000',
  ),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ unit: 'binary-ascii', maxLength: 40 }),
  fc.integer({ min: 257, max: 70_000 }).map((n) => 'x'.repeat(n)),
);

/** Any JSON value a client could send instead of the right one. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  { weight: 4, arbitrary: hostileString },
  fc.constantFrom(
    null,
    true,
    false,
    0,
    -1,
    1.5,
    1e308,
    -1e308,
    2 ** 53 + 1,
    -(2 ** 63),
    [],
    {},
    [null],
    [[[[[]]]]],
    JSON.parse('{"__proto__":{"polluted":true}}') as unknown,
  ),
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.array(hostileString, { maxLength: 3 }),
);

const types = (schema: JsonSchema): string[] => ([] as string[]).concat(schema.type ?? []);
const cap = (value: number | undefined, fallback: number, max: number) => Math.min(value ?? fallback, max);

/** One of the live ids (a random uuid while there are none). */
export function realId(ids: readonly string[]): fc.Arbitrary<string> {
  return fc.tuple(fc.nat(), fc.uuid()).map(([n, fallback]) => (ids.length > 0 ? ids[n % ids.length]! : fallback));
}

export function resolved(schema: JsonSchema, ctx: SchemaContext): JsonSchema {
  return schema.$ref ? resolved(ctx.resolve(schema.$ref), ctx) : schema;
}

function stringArbitrary(schema: JsonSchema, name: string, ctx: SchemaContext): fc.Arbitrary<string> {
  if (schema.format === 'uuid') return fc.oneof({ weight: 4, arbitrary: realId(ctx.idsFor(name)) }, fc.uuid());
  if (schema.format === 'date-time') {
    return fc.date({ min: new Date('1970-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true }).map((d) => d.toISOString());
  }
  const min = schema.minLength ?? 0;
  const max = Math.max(min, cap(schema.maxLength, 24, 64));
  // A match repeated still matches the patterns of the contracts (text runs, name characters),
  // so a short one is repeated up to the minimum length rather than filtered away.
  const shaped = schema.pattern
    ? fc.stringMatching(new RegExp(schema.pattern)).map((s) => (s.length > 0 && s.length < min ? s.repeat(Math.ceil(min / s.length)) : s).slice(0, max))
    : fc.string({ minLength: min, maxLength: max });
  const sized = shaped.filter((s) => s.trim().length >= min);
  return typeof schema.example === 'string' ? fc.oneof({ weight: 2, arbitrary: fc.constant(schema.example) }, sized) : sized;
}

function numberArbitrary(schema: JsonSchema, integer: boolean): fc.Arbitrary<number> {
  const min = schema.minimum ?? (schema.exclusiveMinimum !== undefined ? schema.exclusiveMinimum + 1 : -1000);
  const max = schema.maximum ?? (schema.exclusiveMaximum !== undefined ? schema.exclusiveMaximum - 1 : Math.max(min + 1000, 1000));
  if (!integer) return fc.double({ min, max, noNaN: true });
  const low = Math.ceil(min);
  const high = Math.floor(max);
  // Near the minimum most of the time: sums of fields (a policy's minimums) then fit their rules.
  return fc.oneof(
    fc.integer({ min: low, max: Math.min(high, low + 8) }),
    fc.integer({ min: low, max: high }),
    ...(typeof schema.default === 'number' ? [fc.constant(schema.default)] : []),
  );
}

/** A value the schema most likely accepts (cross-field rules and uniqueness may still refuse it). */
export function validValue(schema: JsonSchema, ctx: SchemaContext, name = ''): fc.Arbitrary<unknown> {
  const s = resolved(schema, ctx);
  if (s.const !== undefined) return fc.constant(s.const);
  if (s.enum) return fc.constantFrom(...s.enum);
  const alternatives = s.anyOf ?? s.oneOf;
  if (alternatives) return fc.oneof(...alternatives.map((a) => validValue(a, ctx, name)));
  if (s.allOf) return validValue(Object.assign({}, ...s.allOf.map((a) => resolved(a, ctx))) as JsonSchema, ctx, name);
  const kinds = types(s);
  if (kinds.length > 1) return fc.oneof(...kinds.map((type) => (type === 'null' ? fc.constant(null) : validValue({ ...s, type }, ctx, name))));
  switch (kinds[0]) {
    case 'string':
      return stringArbitrary(s, name, ctx);
    case 'integer':
      return numberArbitrary(s, true);
    case 'number':
      return numberArbitrary(s, false);
    case 'boolean':
      return fc.boolean();
    case 'null':
      return fc.constant(null);
    case 'array':
      // Without repeats: lists of ids refuse them.
      return fc
        .array(validValue(s.items ?? {}, ctx, name), { minLength: s.minItems ?? 0, maxLength: Math.max(s.minItems ?? 0, cap(s.maxItems, 4, 4)) })
        .map((items) => [...new Set(items)]);
    case 'object':
    default:
      return objectArbitrary(s, ctx);
  }
}

function objectArbitrary(s: JsonSchema, ctx: SchemaContext): fc.Arbitrary<unknown> {
  const properties = s.properties ?? {};
  const keys = Object.keys(properties);
  if (keys.length === 0) return fc.constant({});
  const generated = generatedObject(s, ctx, properties, keys);
  // The document's example of a body is valid by definition (rules across fields included).
  return s.example && typeof s.example === 'object'
    ? fc.oneof({ weight: 2, arbitrary: generated }, { weight: 1, arbitrary: fc.constant(s.example) })
    : generated;
}

function generatedObject(s: JsonSchema, ctx: SchemaContext, properties: Record<string, JsonSchema>, keys: string[]): fc.Arbitrary<unknown> {
  const required = new Set(s.required ?? []);
  // An optional field is left out two times in three, so its default (valid by definition) applies.
  const fields = keys.map((key) => {
    const value = validValue(properties[key]!, ctx, key);
    return required.has(key) ? value : fc.oneof({ weight: 2, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: value });
  });
  return fc.tuple(...fields).map((values) => Object.fromEntries(keys.flatMap((key, i) => (values[i] === undefined ? [] : [[key, values[i]]]))));
}

/** One hostile change to a valid value: a field of the wrong type or text, one missing, one extra, or the whole value replaced. */
export function mutated(value: unknown): fc.Arbitrary<unknown> {
  const whole = hostileValue;
  if (value === null || typeof value !== 'object') return whole;
  if (Array.isArray(value)) {
    if (value.length === 0)
      return fc.oneof(
        whole,
        hostileValue.map((v) => [v]),
      );
    return fc.oneof(
      whole,
      fc.tuple(fc.nat({ max: value.length - 1 }), hostileValue).map(([i, v]) => value.map((item, j) => (i === j ? v : item))),
      fc.integer({ min: 1, max: 6000 }).map((n) => Array.from({ length: n }, (_, i) => value[i % value.length])),
    );
  }
  const record = value as Record<string, unknown>;
  const keys = Object.keys(record);
  const options: fc.Arbitrary<unknown>[] = [
    whole,
    fc
      .tuple(
        fc.oneof(
          hostileString.filter((k) => k.length < 100),
          fc.constantFrom('id', 'status', 'role', 'isAdmin', 'createdAt', '__proto__', 'constructor'),
        ),
        hostileValue,
      )
      .map(([key, v]) => ({ ...record, [key]: v })),
  ];
  if (keys.length > 0) {
    options.push(
      fc.tuple(fc.constantFrom(...keys), hostileValue).map(([key, v]) => ({ ...record, [key]: v })),
      fc.constantFrom(...keys).map((key) => Object.fromEntries(Object.entries(record).filter(([k]) => k !== key))),
      fc.constantFrom(...keys).chain((key) => mutated(record[key]).map((v) => ({ ...record, [key]: v }))),
    );
  }
  return fc.oneof(...options);
}

/** Mostly a valid value, sometimes a mutated one. */
export function fuzzValue(schema: JsonSchema, ctx: SchemaContext, name = ''): fc.Arbitrary<unknown> {
  const valid = validValue(schema, ctx, name);
  return fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: valid.chain(mutated) });
}
