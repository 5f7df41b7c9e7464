import type { ImportFields, ImportFormat, ImportGetQuery, ImportMapping } from '@passman/contracts';
import { ImportMappingSchema, isSingleLineText } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import { AppError, notFound } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AccessService } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { assertUnsealed } from '../credentials/index.js';
import type { PoliciesService } from '../policies/index.js';
import { errorReportLines } from './error-report.js';
import { newRunMemory, runBatch, type RowDecision, type RunMemory } from './import-batch.js';
import { openImportSource, type SourceRow } from './import-sources.js';
import { presentImport, presentImportRow } from './imports.presenter.js';
import type { ImportCountsDelta, ImportRecord, ImportsRepo, RowResult } from './imports.repo.js';
import { checkRow, labelOf, rowKey, type CheckedRow } from './row-checks.js';

/** Rows written per transaction: big enough that 100,000 rows take a hundred transactions, small enough to hold in memory. */
export const IMPORT_BATCH_ROWS = 1000;
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
  logger?: Logger;
}) {
  const running = new Set<Promise<void>>();

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

  /** Reads the rows, checks them and hands them on in batches; says per row what it does or did. */
  async function work(ctx: RequestContext, record: ImportRecord, rows: AsyncIterable<SourceRow>, destinationId: string): Promise<number> {
    const memory = newRunMemory();
    const seen = new Set<string>();
    let total = 0;
    let batch: SourceRow[] = [];
    const flush = async () => {
      const results = await handleBatch(ctx, record, batch, destinationId, memory, seen);
      batch = [];
      await deps.repo.saveRows(record.id, results);
      await deps.repo.addCounts(record.id, countsOf(results));
    };
    for await (const row of rows) {
      total += 1;
      batch.push(row);
      if (batch.length >= IMPORT_BATCH_ROWS) await flush();
    }
    if (batch.length > 0) await flush();
    return total;
  }

  async function handleBatch(ctx: RequestContext, record: ImportRecord, batch: SourceRow[], destinationId: string, memory: RunMemory, seen: Set<string>) {
    const results: RowResult[] = [];
    const ready: { checked: CheckedRow; label: ReturnType<typeof labelOf> }[] = [];
    for (const source of batch) {
      const label = labelOf(source);
      const check = checkRow(source);
      if (!check.ok) {
        results.push({ ...label, outcome: 'skip', reason: check.reason, message: check.message });
        continue;
      }
      const key = rowKey(check.row);
      if (seen.has(key)) {
        results.push({ ...label, outcome: 'skip', reason: 'DUPLICATE_IN_FILE', message: 'An earlier row names the same account' });
        continue;
      }
      seen.add(key);
      ready.push({ checked: check.row, label });
    }
    const decided = await decide(
      ctx,
      record,
      ready.map((r) => r.checked),
      destinationId,
      memory,
    );
    ready.forEach((r, i) => results.push({ ...r.label, ...decided[i]! }));
    return results.sort((a, b) => a.row - b.row);
  }

  async function decide(ctx: RequestContext, record: ImportRecord, rows: CheckedRow[], destinationId: string, memory: RunMemory): Promise<RowDecision[]> {
    if (rows.length === 0) return [];
    const batchDeps = { vault: deps.vault, policies: deps.policies, access: deps.access, audit: deps.audit };
    const input = { ctx, importId: record.id, destinationId, memory };
    if (record.dryRun) return (await runBatch(batchDeps, deps.repo, { ...input, rows, write: false })).decisions;
    const inTransaction = (some: CheckedRow[]) =>
      deps.repo.transaction(async (repo, tx) => {
        await repo.lockDestination(destinationId);
        const done = await runBatch(batchDeps, repo, { ...input, rows: some, write: true, tx });
        return done;
      });
    const remember = (newFolders: Map<string, string>) => newFolders.forEach((id, path) => memory.folders.set(path, id));
    try {
      const done = await inTransaction(rows);
      remember(done.newFolders);
      return done.decisions;
    } catch (error) {
      if (!(error instanceof Error)) throw error;
      // One row broke the batch (a name taken meanwhile, a folder deleted …): each row alone, so the others land.
      const decisions: RowDecision[] = [];
      for (const row of rows) {
        try {
          const done = await inTransaction([row]);
          remember(done.newFolders);
          decisions.push(done.decisions[0]!);
        } catch (rowError) {
          if (rowError instanceof AppError && (rowError.code === 'SEALED' || rowError.code === 'DATABASE_UNAVAILABLE')) throw rowError;
          const message = rowError instanceof AppError ? rowError.message : 'The row could not be written; nothing of it was kept';
          decisions.push({ outcome: 'failed', reason: 'WRITE_FAILED', message });
        }
      }
      return decisions;
    }
  }

  function countsOf(results: RowResult[]): ImportCountsDelta {
    const counts: ImportCountsDelta = { processed: results.length, create: 0, update: 0, unchanged: 0, skip: 0, failed: 0 };
    for (const r of results) counts[r.outcome as keyof Omit<ImportCountsDelta, 'processed'>] += 1;
    return counts;
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
      const record = await deps.repo.create({
        requestedById: ctx.actor?.userId ?? null,
        folderId: destinationId,
        format: source.format,
        fileName: [...upload.fileName]
          .filter((c) => isSingleLineText(c))
          .join('')
          .slice(0, 255),
        dryRun: fields.dryRun,
        headers: source.headers.map((h) => h.slice(0, 200)).slice(0, 100),
        state: 'running',
      });
      const wipe = () => upload.file.fill(0);
      if (fields.dryRun) {
        try {
          const total = await work(ctx, record, source.rows, destinationId);
          await deps.repo.finish(record.id, 'dry-run', null, total);
        } finally {
          wipe();
        }
        return { dryRun: true, import: presentImport((await deps.repo.get(record.id))!) };
      }
      await deps.audit.record(ctx, {
        action: 'import.start',
        objectType: 'import',
        objectId: record.id,
        details: { format: source.format, fileName: record.fileName, folderId: destinationId },
      });
      const run = (async () => {
        let total = 0;
        try {
          total = await work(ctx, record, source.rows, destinationId);
          await deps.repo.finish(record.id, 'succeeded', null, total);
        } catch (error) {
          const code = error instanceof AppError ? error.code : 'IMPORT_FAILED';
          // The code only: the error's text could quote the file.
          deps.logger?.warn({ importId: record.id, code }, 'import stopped');
          const done = await deps.repo.get(record.id);
          await deps.repo.finish(record.id, 'failed', code, Math.max(total, done?.processed ?? 0)).catch(() => undefined);
        } finally {
          wipe();
        }
        const done = (await deps.repo.get(record.id))!;
        await deps.audit
          .record(ctx, {
            action: 'import.finish',
            objectType: 'import',
            objectId: record.id,
            outcome: done.state === 'succeeded' ? 'success' : 'failure',
            details: {
              created: done.createdCount,
              updated: done.updatedCount,
              unchanged: done.unchangedCount,
              skipped: done.skippedCount,
              failed: done.failedCount,
              ...(done.errorCode ? { errorCode: done.errorCode } : {}),
            },
          })
          .catch((error: unknown) =>
            deps.logger?.error({ importId: record.id, code: error instanceof AppError ? error.code : 'INTERNAL' }, 'import audit failed'),
          );
      })();
      running.add(run);
      void run.finally(() => running.delete(run));
      return { dryRun: false, import: presentImport((await deps.repo.get(record.id))!) };
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

    /** Waits for the imports this process runs (shutdown, tests). */
    async idle(): Promise<void> {
      await Promise.allSettled([...running]);
    },
  };
}

export type ImportsService = ReturnType<typeof createImportsService>;
