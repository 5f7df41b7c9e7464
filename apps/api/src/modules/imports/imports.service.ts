import type { ImportFields, ImportFormat, ImportGetQuery, ImportMapping } from '@passman/contracts';
import { asSingleLineText, ImportMappingSchema, isSingleLineText } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import { AppError, notFound } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AccessService } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { assertUnsealed } from '../credentials/index.js';
import type { PoliciesService } from '../policies/index.js';
import { errorReportLines } from './error-report.js';
import type { JobQueue } from '../jobs/index.js';
import { requesterSnapshot, type ImportJobParams } from './import-job-params.js';
import { openImportSource } from './import-sources.js';
import { sealUploadParts } from './import-upload.js';
import { importRows } from './import-work.js';
import { presentImport, presentImportRow } from './imports.presenter.js';
import type { ImportRecord, ImportsRepo } from './imports.repo.js';

/** The folder an import goes into when none is chosen, under the root. */
export const DEFAULT_IMPORT_FOLDER = 'Imported';

export interface ImportUpload {
  file: Buffer;
  fileName: string;
  fields: ImportFields;
}

export function createImportsService(deps: {
  repo: ImportsRepo;
  vault: Vault;
  access: AccessService;
  audit: AuditService;
  policies: PoliciesService;
  /** The queue real runs go into. */
  queue: Pick<JobQueue, 'name'>;
}) {
  function mappingOf(text: string | undefined): ImportMapping {
    if (text === undefined || text === '') return {};
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new AppError('VALIDATION_FAILED', 'mapping must be a JSON object', { errors: [{ path: 'body.mapping', message: 'must be a JSON object' }] });
    }
    const parsed = ImportMappingSchema.safeParse(json);
    if (!parsed.success) {
      throw new AppError('VALIDATION_FAILED', 'mapping must map the import column names to header names', {
        errors: parsed.error.issues.map((i) => ({ path: ['body.mapping', ...i.path].join('.'), message: i.message })),
      });
    }
    return parsed.data;
  }

  /** The destination: the folder chosen (manage there), or "Imported" under the root, made when missing (manage on the root). */
  async function destinationOf(ctx: RequestContext, folderId: string | undefined): Promise<string> {
    if (folderId) {
      await deps.access.require(ctx, { type: 'folder', id: folderId }, 'manage');
      return folderId;
    }
    const rootId = await deps.repo.rootFolderId();
    const existing = await deps.repo.childFolder(rootId, DEFAULT_IMPORT_FOLDER);
    if (existing) {
      await deps.access.require(ctx, { type: 'folder', id: existing }, 'manage');
      return existing;
    }
    await deps.access.require(ctx, { type: 'folder', id: rootId }, 'manage');
    return deps.repo.transaction(async (repo, tx) => {
      await repo.lockDestination(rootId);
      const again = await repo.childFolder(rootId, DEFAULT_IMPORT_FOLDER);
      if (again) return again;
      const id = await repo.createFolder(rootId, DEFAULT_IMPORT_FOLDER);
      await deps.audit.record(
        ctx,
        { action: 'folder.create', objectType: 'folder', objectId: id, details: { name: DEFAULT_IMPORT_FOLDER, parentId: rootId } },
        tx,
      );
      return id;
    });
  }

  async function owned(ctx: RequestContext, id: string): Promise<ImportRecord> {
    const record = await deps.repo.get(id);
    // Someone else's import does not exist, for the caller: its rows name what they may not see.
    if (!record || (ctx.actor?.role !== 'admin' && record.requestedById !== ctx.actor?.userId)) throw notFound('Import');
    return record;
  }

  return {
    /**
     * Reads an upload and either says what each row would do (dry run: done when this returns) or
     * starts the import (returns at once; GET /imports/{id} follows it). Everything wrong with the
     * file as a whole (type, encoding, columns, KeePass password) is refused before anything is stored.
     */
    async start(ctx: RequestContext, upload: ImportUpload): Promise<{ dryRun: boolean; import: ReturnType<typeof presentImport> }> {
      const { fields } = upload;
      // Even a dry run opens the stored passwords, to say which rows change nothing.
      assertUnsealed(deps.vault);
      const mapping = mappingOf(fields.mapping);
      const destinationId = await destinationOf(ctx, fields.folderId);
      const source = await openImportSource(upload.file, { format: fields.format as ImportFormat | undefined, mapping, kdbxPassword: fields.kdbxPassword });
      const data = {
        requestedById: ctx.actor?.userId ?? null,
        folderId: destinationId,
        format: source.format,
        fileName: [...upload.fileName]
          .filter((c) => isSingleLineText(c))
          .join('')
          .slice(0, 255),
        dryRun: fields.dryRun,
        // The file's own text, shown in the console and echoed in problems: one line, as a request's would be.
        headers: source.headers.map((h) => asSingleLineText(h, 200)).slice(0, 100),
      };
      const wipe = () => upload.file.fill(0);
      if (fields.dryRun) {
        const record = await deps.repo.create({ ...data, state: 'running' });
        try {
          const total = await importRows(deps, { ctx, record, rows: source.rows, destinationId });
          await deps.repo.finish(record.id, 'dry-run', null, total);
        } finally {
          wipe();
        }
        return { dryRun: true, import: presentImport((await deps.repo.get(record.id))!) };
      }
      // The real run is a job on the queue: any worker process runs it, and another finishes it if
      // that one dies. The file waits for it sealed under the master key, never in the clear. The
      // import, its sealed file, its job and its audit event are written together or not at all.
      try {
        const record = await deps.repo.transaction(async (repo, tx) => {
          const record = await repo.create({ ...data, state: 'queued' });
          const params: ImportJobParams = {
            importId: record.id,
            mapping,
            requestId: ctx.requestId,
            ip: ctx.ip,
            userAgent: ctx.userAgent,
            actor: requesterSnapshot(ctx),
          };
          await repo.queueRun({
            importId: record.id,
            uploadParts: sealUploadParts(deps.vault, record.id, { file: upload.file, kdbxPassword: fields.kdbxPassword }),
            queue: deps.queue.name,
            requestedById: ctx.actor?.userId ?? null,
            params,
          });
          await deps.audit.record(
            ctx,
            {
              action: 'import.start',
              objectType: 'import',
              objectId: record.id,
              details: { format: source.format, fileName: record.fileName, folderId: destinationId },
            },
            tx,
          );
          return record;
        });
        return { dryRun: false, import: presentImport((await deps.repo.get(record.id))!) };
      } finally {
        wipe();
      }
    },

    async get(ctx: RequestContext, id: string, query: ImportGetQuery) {
      const record = await owned(ctx, id);
      const afterRow = query.cursor !== undefined ? Number.parseInt(query.cursor, 10) : undefined;
      if (afterRow !== undefined && !(Number.isSafeInteger(afterRow) && afterRow >= 0 && String(afterRow) === query.cursor)) {
        throw new AppError('INVALID_CURSOR', 'The cursor is not one this list returned');
      }
      const rows = await deps.repo.rowsPage(id, { outcome: query.outcome, afterRow, limit: query.limit + 1 });
      const items = rows.slice(0, query.limit);
      return {
        ...presentImport(record),
        rows: { items: items.map(presentImportRow), nextCursor: rows.length > query.limit ? String(items.at(-1)!.row) : null },
      };
    },

    /** The error report's lines (CSV), read from the database a page at a time. */
    async errorReport(ctx: RequestContext, id: string): Promise<{ fileName: string; lines: AsyncIterable<string> }> {
      const record = await owned(ctx, id);
      return { fileName: `import-${record.id}-errors.csv`, lines: errorReportLines((afterRow, limit) => deps.repo.problemRows(id, afterRow, limit)) };
    },
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
