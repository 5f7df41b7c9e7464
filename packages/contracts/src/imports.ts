import { CursorSchema, IdParamsSchema, IdSchema, LimitSchema, TimestampSchema } from './common.js';
import { defineRoute } from './route.js';
import { SecretTextSchema, SingleLineTextSchema } from './text.js';
import { z } from './zod.js';

/**
 * Importing secrets from a spreadsheet (CSV, XLSX) or a KeePass KDBX 4 file. Each row names a
 * target, an account and its password; rows become folders (Group_path), targets, accounts and
 * PASSWORD credentials under a chosen folder. A dry run says what each row would do; the real run
 * does it row by row (each row all or nothing) and can be repeated without creating anything twice.
 */

/** The import's column names (as operators know them from spreadsheets of other vaults); the first two are required. */
export const IMPORT_COLUMNS = ['Target_type', 'Target', 'Account', 'Password', 'Group_path', 'Description', 'URL'] as const;
export type ImportColumn = (typeof IMPORT_COLUMNS)[number];
export const REQUIRED_IMPORT_COLUMNS = ['Target_type', 'Target'] as const satisfies readonly ImportColumn[];

export const IMPORT_FORMATS = ['csv', 'xlsx', 'kdbx'] as const;
export type ImportFormat = (typeof IMPORT_FORMATS)[number];
export const ImportFormatSchema = z.enum(IMPORT_FORMATS).openapi('ImportFormat');

/**
 * The largest file accepted (its rows are parsed as a stream; the file is held in memory, and for a
 * real run sealed under the master key until the run ends: never on disk in the clear).
 */
export const MAX_IMPORT_FILE_BYTES = 32 * 1024 * 1024;

export const IMPORT_STATES = ['dry-run', 'queued', 'running', 'succeeded', 'failed'] as const;
export const ImportStateSchema = z.enum(IMPORT_STATES).openapi('ImportState');
export type ImportState = (typeof IMPORT_STATES)[number];
/** Whether an import will change no more: a dry run, or a real run that succeeded or failed (not one queued or running). */
export const hasImportEnded = (state: ImportState): boolean => state !== 'queued' && state !== 'running';

/** What a row does (dry run) or did (real run). `unchanged`: everything it names already exists, with that password. */
export const IMPORT_OUTCOMES = ['create', 'update', 'unchanged', 'skip', 'failed'] as const;
export type ImportOutcome = (typeof IMPORT_OUTCOMES)[number];
export const ImportOutcomeSchema = z.enum(IMPORT_OUTCOMES).openapi('ImportOutcome');

/** Why a row is skipped or failed (ACCOUNT_BUSY: a reset of the account is under way), or (PASSWORD_NONCOMPLIANT) what to know about a row that goes in. */
export const IMPORT_REASONS = [
  'BAD_VALUE',
  'DUPLICATE_IN_FILE',
  'UNKNOWN_TARGET_TYPE',
  'PASSWORD_NONCOMPLIANT',
  'NO_PERMISSION',
  'ACCOUNT_BUSY',
  'WRITE_FAILED',
] as const;
export type ImportReason = (typeof IMPORT_REASONS)[number];
export const ImportReasonSchema = z.enum(IMPORT_REASONS).openapi('ImportReason');

export const ImportCountsSchema = z
  .object({
    total: z.number().int().openapi({ description: 'Rows read from the file' }),
    processed: z.number().int().openapi({ description: 'Rows done so far (the real run’s progress)' }),
    create: z.number().int(),
    update: z.number().int(),
    unchanged: z.number().int(),
    skip: z.number().int(),
    failed: z.number().int(),
  })
  .openapi('ImportCounts');
export type ImportCounts = z.infer<typeof ImportCountsSchema>;

export const ImportSchema = z
  .object({
    id: IdSchema,
    state: ImportStateSchema,
    dryRun: z.boolean(),
    format: ImportFormatSchema,
    fileName: z.string(),
    headers: z.array(z.string()).openapi({ description: 'The file’s own column names (none for KeePass), to map them with `mapping`' }),
    folderId: IdSchema.openapi({ description: 'The folder rows are imported into (Group_path is below it)' }),
    counts: ImportCountsSchema,
    errorCode: z.string().nullable().openapi({
      description:
        'Why a run stopped before its last row (INTERRUPTED: the workers running it kept dying; REQUESTER_DISABLED: the requester can no longer act)',
    }),
    createdAt: TimestampSchema,
    finishedAt: TimestampSchema.nullable(),
  })
  .openapi('Import');
export type Import = z.infer<typeof ImportSchema>;

export const ImportRowSchema = z
  .object({
    row: z.number().int().openapi({ description: 'Line of the file (the header is row 1), or the entry’s position in a KeePass file' }),
    targetType: z.string(),
    target: z.string(),
    account: z.string(),
    groupPath: z.string(),
    outcome: ImportOutcomeSchema,
    reason: ImportReasonSchema.nullable(),
    message: z.string().nullable().openapi({ description: 'Why, for people; never a secret' }),
  })
  .openapi('ImportRow');
export type ImportRow = z.infer<typeof ImportRowSchema>;

export const ImportDetailSchema = ImportSchema.extend({
  rows: z.object({ items: z.array(ImportRowSchema), nextCursor: z.string().nullable() }),
}).openapi('ImportDetail');
export type ImportDetail = z.infer<typeof ImportDetailSchema>;

export const ImportGetQuerySchema = z.object({
  limit: LimitSchema,
  cursor: CursorSchema.optional(),
  outcome: ImportOutcomeSchema.optional().openapi({ description: 'Only the rows with this outcome' }),
});
export type ImportGetQuery = z.infer<typeof ImportGetQuerySchema>;

/** A column mapping: the import column name → the file's header that holds it. */
export const ImportMappingSchema = z.partialRecord(z.enum(IMPORT_COLUMNS), SingleLineTextSchema.min(1).max(200)).openapi('ImportMapping');
export type ImportMapping = z.infer<typeof ImportMappingSchema>;

const FormBooleanSchema = z.enum(['true', 'false']).transform((v) => v === 'true');

/** The form fields of POST /imports besides the file (multipart/form-data: every value is text). */
export const ImportFieldsSchema = z
  .object({
    format: ImportFormatSchema.optional().openapi({ description: 'Default: recognised from the file’s content' }),
    folderId: IdSchema.optional().openapi({ description: 'Default: the folder “Imported” under the root, created when missing' }),
    dryRun: FormBooleanSchema.default(true).openapi({ description: '“true” (the default): only say what each row would do' }),
    mapping: SingleLineTextSchema.max(4096)
      .optional()
      .openapi({ description: 'JSON object: import column name → the file’s header (default: headers matched by name)' }),
    kdbxPassword: SecretTextSchema.max(1024).optional().openapi({ description: 'The KeePass file’s master password' }),
  })
  .strict();
export type ImportFields = z.infer<typeof ImportFieldsSchema>;

/** Only for the OpenAPI document: the request body as multipart/form-data. */
export const ImportUploadSchema = ImportFieldsSchema.extend({
  file: z
    .string()
    .openapi({ type: 'string', format: 'binary', description: `CSV (UTF-8), XLSX or KDBX 4; at most ${MAX_IMPORT_FILE_BYTES / 1024 / 1024} MiB` }),
}).openapi('ImportUpload');

export const importRoutes = {
  create: defineRoute({
    operationId: 'createImport',
    method: 'post',
    path: '/imports',
    summary:
      'Import secrets from a CSV, XLSX or KeePass file into a folder (needs manage there): a dry run (201, done) or the real run (202, follow it with GET /imports/{id})',
    tag: 'imports',
    access: 'targets.manage',
    multipart: ImportUploadSchema,
    success: { status: 201, schema: ImportSchema, description: 'The dry run, done' },
    alsoSucceeds: { status: 202, description: 'The real run, started: follow it with GET /imports/{id}' },
    errors: [404, 413, 415],
  }),
  get: defineRoute({
    operationId: 'getImport',
    method: 'get',
    path: '/imports/:id',
    summary: 'An import of yours: its state, counts and rows (paged)',
    tag: 'imports',
    access: 'targets.manage',
    params: IdParamsSchema,
    query: ImportGetQuerySchema,
    success: { status: 200, schema: ImportDetailSchema },
    errors: [404],
  }),
  errors: defineRoute({
    operationId: 'getImportErrors',
    method: 'get',
    path: '/imports/:id/errors',
    summary: 'The rows skipped or failed, with the reason, as CSV (never a password)',
    tag: 'imports',
    access: 'targets.manage',
    params: IdParamsSchema,
    success: { status: 200, description: 'The error report (CSV)', mediaType: 'text/csv' },
    errors: [404],
  }),
};
