import fc from 'fast-check';
import { fuzzValue, hostileString, hostileValue, realId, type JsonSchema, type SchemaContext } from './schema-arbitrary.js';

/** One operation of the OpenAPI document, as the fuzzer needs it. */
export interface FuzzOperation {
  operationId: string;
  method: string;
  /** OpenAPI path template, e.g. `/api/v1/targets/{id}`. */
  path: string;
  parameters: { name: string; in: 'path' | 'query' | 'header' | 'cookie'; required?: boolean; schema: JsonSchema }[];
  body?: JsonSchema;
  stream: boolean;
}

/** Who sends it: nobody, the admin's API token, the admin's browser session (with or without its CSRF header), or a forged token. */
export type FuzzAuth = 'none' | 'bearer' | 'session' | 'session-no-csrf' | 'forged-bearer';

/** A request as generated: printable and replayable (credentials are named, not included). */
export interface FuzzRequest {
  operationId: string;
  method: string;
  /** Path and query string, already encoded as sent. */
  url: string;
  auth: FuzzAuth;
  headers: Record<string, string>;
  /** The raw body text (JSON or not); gzip: compressed before sending. */
  body?: string;
  gzip?: boolean;
  stream: boolean;
}

type OpenApiDocument = {
  paths: Record<
    string,
    Record<
      string,
      {
        operationId: string;
        parameters?: FuzzOperation['parameters'];
        requestBody?: { content: Record<string, { schema: JsonSchema }> };
        responses: Record<string, { content?: Record<string, unknown> }>;
      }
    >
  >;
  components: { schemas: Record<string, JsonSchema> };
};

/** Every operation of the document (so routes added later are fuzzed too). */
export function operationsOf(doc: OpenApiDocument): FuzzOperation[] {
  return Object.entries(doc.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({
      operationId: op.operationId,
      method: method.toUpperCase(),
      path,
      parameters: op.parameters ?? [],
      body: op.requestBody?.content['application/json']?.schema,
      stream: Object.values(op.responses).some((r) => r.content?.['text/event-stream'] !== undefined),
    })),
  );
}

export function schemaContext(doc: OpenApiDocument, ids: Record<string, readonly string[]>): SchemaContext {
  return {
    resolve: (ref) => {
      const schema = doc.components.schemas[ref.split('/').pop()!];
      if (!schema) throw new Error(`unresolved ${ref}`);
      return schema;
    },
    idsFor: (name) => ids[name] ?? [],
  };
}

/** Percent-encodes every byte of the UTF-8 form outside the unreserved set (a lone surrogate goes as U+FFFD, as a browser sends it). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text, 'utf8')]
    .map((b) => (/[A-Za-z0-9\-._~]/.test(String.fromCharCode(b)) ? String.fromCharCode(b) : `%${b.toString(16).toUpperCase().padStart(2, '0')}`))
    .join('');
}

const MALFORMED_ENCODINGS = ['%E0%A4%A', '%', '%zz', '%C3', '%ED%A0%80', '%F4%90%80%80', '%00', '%2e%2e%2f', '%25', '%u0000'];

/** The id of a `{name}` path parameter: a real row of that kind (the path segment before it names it), a random uuid, or garbage. */
function pathParam(template: string, name: string, schema: JsonSchema, ctx: SchemaContext): fc.Arbitrary<string> {
  const segments = template.split('/');
  const kind = segments[segments.indexOf(`{${name}}`) - 1] ?? name;
  return fc.oneof(
    { weight: 5, arbitrary: realId(ctx.idsFor(kind)) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fuzzValue(schema, ctx, name).map((v) => percentEncode(typeof v === 'string' ? v : (JSON.stringify(v) ?? ''))) },
    { weight: 1, arbitrary: hostileString.map((v) => percentEncode(v.slice(0, 300))) },
    { weight: 1, arbitrary: fc.constantFrom(...MALFORMED_ENCODINGS) },
  );
}

/** A query string from the query parameters: valid values, hostile ones, repeats, unknown keys, broken encodings. */
function queryString(op: FuzzOperation, ctx: SchemaContext): fc.Arbitrary<string> {
  const params = op.parameters.filter((p) => p.in === 'query');
  const entries = params.map((p) =>
    fc.option(
      fuzzValue(p.schema, ctx, p.name).map((v) => [p.name, v] as const),
      { freq: 2, nil: undefined },
    ),
  );
  const extras = fc.array(
    fc.oneof(
      fc.tuple(fc.constantFrom(...params.map((p) => p.name), 'unknown', 'limit', 'cursor'), hostileValue),
      fc.tuple(
        hostileString.map((k) => k.slice(0, 50)),
        hostileValue,
      ),
    ),
    { maxLength: 2 },
  );
  const raw = fc.option(
    fc.constantFrom(...MALFORMED_ENCODINGS).map((bad) => `q=${bad}`),
    { freq: 10, nil: undefined },
  );
  return fc.tuple(fc.tuple(...entries), fc.oneof({ weight: 4, arbitrary: fc.constant([]) }, extras), raw).map(([chosen, extra, broken]) => {
    const pairs: string[] = [];
    const add = (key: string, value: unknown) => {
      if (Array.isArray(value)) for (const item of value) add(key, item);
      // Long values are cut to 4,000 characters: past 16 KB a URL is refused before any route (431).
      else pairs.push(`${percentEncode(key)}=${percentEncode((typeof value === 'string' ? value : (JSON.stringify(value) ?? '')).slice(0, 4000))}`);
    };
    for (const entry of [...chosen, ...extra]) if (entry) add(entry[0], entry[1]);
    if (broken) pairs.push(broken);
    return pairs.length > 0 ? `?${pairs.join('&')}` : '';
  });
}

type BodyPart = Pick<FuzzRequest, 'headers' | 'body' | 'gzip'>;
const JSON_TYPE = { 'Content-Type': 'application/json' };

/** The body and its headers: mostly JSON from the schema, sometimes compressed, broken, of another type or missing. */
function bodyPart(op: FuzzOperation, ctx: SchemaContext): fc.Arbitrary<BodyPart> {
  const json = (op.body ? fuzzValue(op.body, ctx) : hostileValue).map((v) => JSON.stringify(v) ?? 'null');
  const odd = fc.oneof(
    json.map((body): BodyPart => ({ headers: JSON_TYPE, body, gzip: true })),
    fc
      .tuple(fc.constantFrom('gzip', 'deflate', 'br', 'zstd', 'x-unknown', 'identity, gzip'), json)
      .map(([encoding, body]): BodyPart => ({ headers: { ...JSON_TYPE, 'Content-Encoding': encoding }, body })),
    fc
      .tuple(
        fc.constantFrom(
          'text/plain',
          'application/x-www-form-urlencoded',
          'application/xml',
          'multipart/form-data; boundary=x',
          'application/json; charset=latin1',
          'application/json; charset=utf-16',
          'application/merge-patch+json',
        ),
        json,
      )
      .map(([type, body]): BodyPart => ({ headers: { 'Content-Type': type }, body })),
    fc
      .constantFrom('{"a":', '[', 'nul', '{"a":1}}', '\u0000', '{"a":"\\ud800"}', '{"a":"\\u0000"}', '"just a string"', '1e999', '')
      .map((body): BodyPart => ({ headers: JSON_TYPE, body })),
    fc.constant<BodyPart>({ headers: {} }),
  );
  if (!op.body) return fc.oneof({ weight: 9, arbitrary: fc.constant<BodyPart>({ headers: {} }) }, { weight: 1, arbitrary: odd });
  return fc.oneof({ weight: 6, arbitrary: json.map((body): BodyPart => ({ headers: JSON_TYPE, body })) }, { weight: 1, arbitrary: odd });
}

const authArbitrary: fc.Arbitrary<FuzzAuth> = fc.oneof(
  { weight: 5, arbitrary: fc.constant<FuzzAuth>('bearer') },
  { weight: 5, arbitrary: fc.constant<FuzzAuth>('session') },
  { weight: 1, arbitrary: fc.constant<FuzzAuth>('none') },
  { weight: 1, arbitrary: fc.constant<FuzzAuth>('session-no-csrf') },
  { weight: 1, arbitrary: fc.constant<FuzzAuth>('forged-bearer') },
);

export function requestArbitrary(op: FuzzOperation, ctx: SchemaContext): fc.Arbitrary<FuzzRequest> {
  const names = [...op.path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1]!);
  const params = fc.tuple(...names.map((name) => pathParam(op.path, name, op.parameters.find((p) => p.in === 'path' && p.name === name)?.schema ?? {}, ctx)));
  return fc.tuple(params, queryString(op, ctx), bodyPart(op, ctx), authArbitrary).map(([values, query, body, auth]) => {
    let url = op.path;
    names.forEach((name, i) => {
      url = url.replace(`{${name}}`, values[i]!);
    });
    return { operationId: op.operationId, method: op.method, url: `${url}${query}`, auth, stream: op.stream, ...body };
  });
}

/** Any operation, then a request for it. */
export function anyRequest(ops: readonly FuzzOperation[], ctx: SchemaContext): fc.Arbitrary<FuzzRequest> {
  return fc.constantFrom(...ops).chain((op) => requestArbitrary(op, ctx));
}

/** The request as a person reproduces it (the credentials named, not shown). */
export function describeRequest(request: FuzzRequest): string {
  const body =
    request.body === undefined
      ? '(none)'
      : request.body.length > 4000
        ? `${JSON.stringify(request.body.slice(0, 4000))}… (${request.body.length} characters)`
        : JSON.stringify(request.body);
  return [
    `${request.method} ${request.url}`,
    `  auth: ${request.auth}`,
    `  headers: ${JSON.stringify(request.headers)}${request.gzip ? ' (body gzip-compressed)' : ''}`,
    `  body: ${body}`,
  ].join('\n');
}
