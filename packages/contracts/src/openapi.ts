import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { ProblemSchema } from './common.js';
import { ALL_ROUTE_GROUPS } from './routes.js';
import type { ApiRoute } from './route.js';
import type { z } from './zod.js';

const ERROR_TEXT: Record<number, string> = {
  400: 'The request cannot be read: malformed JSON, %-encoding, Content-Encoding or cursor (INVALID_CURSOR)',
  401: 'Not authenticated',
  403: 'Authenticated but not allowed (or CSRF token missing)',
  404: 'No such object',
  409: 'Conflicts with the current state (duplicate name, InSync account …)',
  413: 'The body is larger than 256 KB',
  415: 'The body is not application/json',
  422: 'A parameter, query or body field breaks its schema (VALIDATION_FAILED, every issue listed in `errors`), or the request cannot be done as asked (e.g. a PIN cannot be changed on an SSH target)',
  429: 'Too many attempts; see Retry-After',
  503: 'PassMan is sealed or not ready',
};

/** Express `:id` → OpenAPI `{id}`. */
export const toOpenApiPath = (path: string) => path.replace(/:([A-Za-z_]+)/g, '{$1}');

export function allRoutes(): ApiRoute[] {
  return ALL_ROUTE_GROUPS.flatMap((group) => Object.values(group) as ApiRoute[]);
}

export function buildOpenApiDocument(options: { version: string; serverUrl?: string }) {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', ProblemSchema);
  registry.registerComponent('securitySchemes', 'session', { type: 'apiKey', in: 'cookie', name: 'passman_session' });
  registry.registerComponent('securitySchemes', 'bearer', { type: 'http', scheme: 'bearer' });

  for (const route of allRoutes()) {
    const problem = (status: number) => ({
      description: ERROR_TEXT[status] ?? 'Error',
      content: { 'application/problem+json': { schema: ProblemSchema } },
    });
    const validated = route.params || route.query || route.body || route.multipart ? [422] : [];
    const statuses = new Set([
      400,
      ...(route.access === 'public' ? [] : [401, 403]),
      ...(route.body || route.multipart ? [413, 415] : []),
      ...validated,
      ...(route.errors ?? []),
    ]);
    const success = route.success.schema
      ? {
          description: route.success.description ?? 'OK',
          content: {
            [route.stream ? 'text/event-stream' : 'application/json']: { schema: route.success.schema },
            ...(route.csv ? { 'text/csv': { schema: { type: 'string' as const } } } : {}),
          },
        }
      : route.success.mediaType
        ? {
            description: route.success.description ?? 'A file',
            content: { [route.success.mediaType]: { schema: { type: 'string' as const, format: 'binary' } } },
          }
        : { description: route.success.description ?? 'No content' };
    registry.registerPath({
      operationId: route.operationId,
      method: route.method,
      path: `/api/v1${toOpenApiPath(route.path)}`,
      summary: route.summary,
      tags: [route.tag],
      description: route.access === 'public' || route.access === 'authenticated' ? undefined : `Requires permission \`${route.access}\`.`,
      security: route.access === 'public' ? [] : [{ session: [] }, { bearer: [] }],
      request: {
        params: route.params as z.ZodObject | undefined,
        query: route.query as z.ZodObject | undefined,
        body: route.body
          ? { content: { 'application/json': { schema: route.body } }, required: true }
          : route.multipart
            ? { content: { 'multipart/form-data': { schema: route.multipart } }, required: true }
            : undefined,
      },
      responses: {
        [route.success.status]: success,
        ...(route.alsoSucceeds ? { [route.alsoSucceeds.status]: { ...success, description: route.alsoSucceeds.description } } : {}),
        ...Object.fromEntries([...statuses].map((s) => [s, problem(s)])),
      },
    });
  }

  const document = new OpenApiGeneratorV31(registry.definitions).generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'PassMan API',
      version: options.version,
      description:
        'Privileged-credential vault. Errors are application/problem+json with a stable `code`. Lists take `limit` and an opaque `cursor` and return `{ items, nextCursor }`.',
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
  });
  return withPlainPatterns(document);
}

/**
 * zod-to-openapi writes a regex with flags as `source/flags` (it strips the slashes of
 * `RegExp#toString()` only at the ends), which no client can compile. A pattern must be the
 * bare source: JSON Schema already reads patterns as Unicode-aware ECMA-262.
 * `RegExp#source` escapes every `/` outside a character class, and a class ends with `]`,
 * so an unescaped `/` followed only by flag letters at the end can only be those flags.
 */
const STRAY_FLAGS = /(?<!\\)(?:\\\\)*\/[dgimsuvy]+$/;

function withPlainPatterns<T>(node: T): T {
  if (Array.isArray(node)) {
    for (const item of node) withPlainPatterns(item);
  } else if (node && typeof node === 'object') {
    const record = node as Record<string, unknown>;
    for (const [key, value] of Object.entries(record)) {
      if (key === 'pattern' && typeof value === 'string') record[key] = stripFlags(value);
      else withPlainPatterns(value);
    }
  }
  return node;
}

function stripFlags(pattern: string): string {
  const match = STRAY_FLAGS.exec(pattern);
  return match ? pattern.slice(0, pattern.length - match[0].length + match[0].indexOf('/')) : pattern;
}
