import type { Vault } from '@passman/vault';
import { isDatabaseUnavailable } from '../../db/database-unavailable.js';
import { AppError } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AccessService } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { PoliciesService } from '../policies/index.js';
import { newRunMemory, runBatch, type RowDecision, type RunMemory } from './import-batch.js';
import type { SourceRow } from './import-sources.js';
import type { ImportCountsDelta, ImportQueries, ImportRecord, ImportsRepo, RowResult } from './imports.repo.js';
import { checkRow, labelOf, rowKey, type CheckedRow } from './row-checks.js';

/** Rows written per transaction: big enough that 100,000 rows take a hundred transactions, small enough to hold in memory. */
export const IMPORT_BATCH_ROWS = 1000;

export interface ImportWorkDeps {
  repo: ImportsRepo;
  vault: Vault;
  access: AccessService;
  audit: AuditService;
  policies: PoliciesService;
}

/** How a real run writes: each batch's rows and counts commit with what the rows changed, while the run still holds its job. */
export interface RealRun {
  /** Rows an earlier run of this import already wrote (their results are kept): read again, not written again. */
  done: ReadonlySet<number>;
  /** Called inside each batch's transaction, last: throws when the run no longer holds its job, so the batch rolls back. */
  stillHeld(repo: ImportQueries): Promise<void>;
  /** Called after each batch committed. */
  afterBatch(): Promise<void> | void;
}

/**
 * Reads an import's rows, checks them and decides in batches what each does; a dry run only says
 * so, a real run (`real`) also writes them. Returns the number of rows read.
 */
export async function importRows(
  deps: ImportWorkDeps,
  input: { ctx: RequestContext; record: ImportRecord; rows: AsyncIterable<SourceRow>; destinationId: string; real?: RealRun },
): Promise<number> {
  const { ctx, record, destinationId, real } = input;
  const memory = newRunMemory();
  const seen = new Set<string>();
  let total = 0;
  let batch: SourceRow[] = [];

  const flush = async () => {
    const { skipped, ready } = checkBatch(batch, seen);
    batch = [];
    if (!real) {
      const decisions = await decide(deps, { ctx, record, destinationId, memory, rows: ready.map((r) => r.checked), write: false }, deps.repo);
      const results = merge(skipped, ready, decisions);
      await deps.repo.saveRows(record.id, results);
      await deps.repo.addCounts(record.id, countsOf(results));
      return;
    }
    await writeBatch(deps, { ctx, record, destinationId, memory, real }, skipped, ready);
    await real.afterBatch();
  };

  for await (const row of input.rows) {
    total += 1;
    if (real?.done.has(row.row)) {
      // Written by an earlier run: still read, so that later rows naming the same account are duplicates as before.
      const check = checkRow(row);
      if (check.ok) seen.add(rowKey(check.row));
      continue;
    }
    batch.push(row);
    if (batch.length >= IMPORT_BATCH_ROWS) await flush();
  }
  if (batch.length > 0) await flush();
  return total;
}

type Label = ReturnType<typeof labelOf>;
type ReadyRow = { checked: CheckedRow; label: Label };

/** Rows that fail their own checks or repeat an earlier row are skipped; the others are ready to decide. */
function checkBatch(batch: SourceRow[], seen: Set<string>): { skipped: RowResult[]; ready: ReadyRow[] } {
  const skipped: RowResult[] = [];
  const ready: ReadyRow[] = [];
  for (const source of batch) {
    const label = labelOf(source);
    const check = checkRow(source);
    if (!check.ok) {
      skipped.push({ ...label, outcome: 'skip', reason: check.reason, message: check.message });
      continue;
    }
    const key = rowKey(check.row);
    if (seen.has(key)) {
      skipped.push({ ...label, outcome: 'skip', reason: 'DUPLICATE_IN_FILE', message: 'An earlier row names the same account' });
      continue;
    }
    seen.add(key);
    ready.push({ checked: check.row, label });
  }
  return { skipped, ready };
}

const merge = (skipped: RowResult[], ready: ReadyRow[], decisions: RowDecision[]): RowResult[] =>
  [...skipped, ...ready.map((r, i) => ({ ...r.label, ...decisions[i]! }))].sort((a, b) => a.row - b.row);

interface BatchContext {
  ctx: RequestContext;
  record: ImportRecord;
  destinationId: string;
  memory: RunMemory;
}

async function decide(
  deps: ImportWorkDeps,
  input: BatchContext & { rows: CheckedRow[]; write: boolean; tx?: Parameters<ImportsRepo['within']>[0] },
  queries: ImportQueries,
) {
  if (input.rows.length === 0) return [];
  const batchDeps = { vault: deps.vault, policies: deps.policies, access: deps.access, audit: deps.audit };
  const done = await runBatch(batchDeps, queries, { ...input, importId: input.record.id });
  done.newFolders.forEach((id, path) => input.memory.folders.set(path, id));
  return done.decisions;
}

/**
 * Writes one batch: its rows, their results and the import's counts in one transaction. A batch
 * that fails (a name taken meanwhile, a folder deleted …) is written again row by row, so the
 * others land and each row is all or nothing; the results of the rows that could not be written
 * commit last, with those of the rows skipped before writing.
 */
async function writeBatch(deps: ImportWorkDeps, b: BatchContext & { real: RealRun }, skipped: RowResult[], ready: ReadyRow[]): Promise<void> {
  const inTransaction = (rows: ReadyRow[], alsoSave: RowResult[]) =>
    deps.repo.transaction(async (repo, tx) => {
      await repo.lockDestination(b.destinationId);
      // Folders a rolled-back try created are gone: found again (or created) by this one.
      const known = new Map(b.memory.folders);
      try {
        const decisions = await decide(deps, { ...b, rows: rows.map((r) => r.checked), write: true, tx }, repo);
        const results = merge(alsoSave, rows, decisions);
        await repo.saveRows(b.record.id, results);
        await repo.addCounts(b.record.id, countsOf(results));
        await b.real.stillHeld(repo);
      } catch (error) {
        b.memory.folders = known;
        throw error;
      }
    });
  try {
    await inTransaction(ready, skipped);
    return;
  } catch (error) {
    if (isFatal(error)) throw error;
  }
  const unwritten: RowResult[] = [...skipped];
  for (const row of ready) {
    try {
      await inTransaction([row], []);
    } catch (rowError) {
      if (isFatal(rowError)) throw rowError;
      const message = rowError instanceof AppError ? rowError.message : 'The row could not be written; nothing of it was kept';
      unwritten.push({ ...row.label, outcome: 'failed', reason: 'WRITE_FAILED', message });
    }
  }
  await inTransaction([], unwritten);
}

/** The run no longer holds its job (its worker stalled past the lease and another took it over): it stops, writing nothing more. */
export class ImportJobLostError extends Error {
  constructor(jobId: string) {
    super(`the import job ${jobId} is another run's now`);
    this.name = 'ImportJobLostError';
  }
}

/** Errors that stop the whole import rather than one row: no master key, no database, the job taken over. */
const isFatal = (error: unknown) =>
  !(error instanceof Error) ||
  error instanceof ImportJobLostError ||
  isDatabaseUnavailable(error) ||
  (error instanceof AppError && (error.code === 'SEALED' || error.code === 'DATABASE_UNAVAILABLE'));

function countsOf(results: RowResult[]): ImportCountsDelta {
  const counts: ImportCountsDelta = { processed: results.length, create: 0, update: 0, unchanged: 0, skip: 0, failed: 0 };
  for (const r of results) counts[r.outcome as keyof Omit<ImportCountsDelta, 'processed'>] += 1;
  return counts;
}
