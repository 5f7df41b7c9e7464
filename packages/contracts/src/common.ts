import { MAX_TIMESTAMP_YEAR, MIN_TIMESTAMP_YEAR } from './limits.js';
import { SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

export const ProblemSchema = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    code: z.string().openapi({ description: 'Stable machine-readable error code, e.g. VALIDATION_FAILED' }),
    detail: z.string().optional(),
    instance: z.string().optional(),
    requestId: z.string().optional(),
    errors: z
      .array(z.object({ path: z.string(), message: z.string(), code: z.string().optional() }))
      .optional()
      .openapi({ description: 'Every validation issue, not just the first' }),
  })
  .openapi('Problem', { description: 'RFC 9457 problem details (application/problem+json)' });
export type Problem = z.infer<typeof ProblemSchema>;

export const IdSchema = z.uuid().openapi({ example: '01936f4e-6a1c-7b7e-9f1a-3c2b1a0e9d8c' });
export const IdParamsSchema = z.object({ id: IdSchema });
const inTimestampRange = (value: string) => {
  const year = new Date(value).getUTCFullYear();
  return year >= MIN_TIMESTAMP_YEAR && year <= MAX_TIMESTAMP_YEAR;
};
export const TimestampSchema = z.iso
  .datetime({ offset: true })
  .refine(inTimestampRange, `must be a time in the years ${MIN_TIMESTAMP_YEAR} to ${MAX_TIMESTAMP_YEAR}`)
  .openapi({ example: '2026-11-27T10:00:00.000Z' });

export const LimitSchema = z.coerce.number().int().min(1).max(200).default(50);
export const CursorSchema = z
  .string()
  // Room for a sort key of a long name (200 characters of up to 4 UTF-8 bytes) in base64.
  .max(2048)
  .regex(/^[A-Za-z0-9_-]+$/, 'must be a cursor returned by a previous page')
  .openapi({ description: 'Opaque cursor from the previous page’s nextCursor' });

export const PageQuerySchema = z.object({ limit: LimitSchema, cursor: CursorSchema.optional() });

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ items: z.array(item), nextCursor: z.string().nullable() })
    .openapi(name, { description: 'One page; pass nextCursor as cursor for the next page (null on the last)' });
}

/** Query-string boolean: "true"/"false" (and 1/0). */
export const QueryBooleanSchema = z.enum(['true', 'false', '1', '0']).transform((v) => v === 'true' || v === '1');

/** Query-string boolean that defaults to true (a bare boolean would turn "false" into true). */
export const RecursiveSchema = z
  .enum(['true', 'false', '1', '0'])
  .default('true')
  .transform((v) => v === 'true' || v === '1')
  .openapi({ description: 'With folderId: also what lies in the folders below it (the default), or only in that folder' });

/** A short name: one line of text, trimmed. */
export const NameSchema = SingleLineTextSchema.trim().min(1).max(200);

const TAG_PATTERN = /^[\w.:/-]*$/;
export const TagSchema = SingleLineTextSchema.trim()
  .min(1)
  .max(64)
  .regex(TAG_PATTERN, 'letters, digits and . : / - _ only')
  .openapi({ pattern: TAG_PATTERN.source });
export const TagsSchema = z.array(TagSchema).max(32);
