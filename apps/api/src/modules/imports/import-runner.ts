import { isVaultError } from '@passman/vault';
import type { Logger } from 'pino';
import { isDatabaseUnavailable } from '../../db/database-unavailable.js';
import { AppError } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { FaultInjector } from '../jobs/index.js';
import { runContext, type ImportJobParams } from './import-job-params.js';
import { openImportSource } from './import-sources.js';
import { openUpload } from './import-upload.js';
import { importRows, ImportJobLostError, type ImportWorkDeps } from './import-work.js';
import type { ImportFormat } from '@passman/contracts';

/**
 * Runs of one import a worker may start before the import fails as INTERRUPTED: a file that
 * kills every worker reading it (out of memory, say) must not take the workers down forever.
 */
export const IMPORT_MAX_ATTEMPTS = 3;

/** The job of an import, as a worker claimed it (the jobs table's row). */
export interface ImportJob {
  id: string;
  attempts: number;
  params: unknown;
}

/** The worker stops: the run gives its job back between two batches. */
class RunYielded extends Error {}

/**
 * Runs IMPORT jobs in a worker: reads the sealed file again, writes the rows an earlier run did
 * not (their results commit with them, so a run that died is resumed, never repeated), and ends
 * the job with its import, the file deleted. The run acts as its requester, with the rights they
 * hold now; a requester disabled meanwhile ends it.
 */
export function createImportRunner(deps: ImportWorkDeps & { logger: Logger; faults?: Pick<FaultInjector, 'hit'> }) {
  async function end(
    ctx: RequestContext,
    job: ImportJob,
    importId: string,
    workerId: string,
    state: 'succeeded' | 'failed',
    errorCode: string | null,
    total?: number,
  ) {
    await deps.repo.transaction(async (repo, tx) => {
      const record = await repo.get(importId);
      if (!record) return;
      const ended = await repo.endRun({ importId, jobId: job.id, workerId, state, errorCode, total: total ?? Math.max(record.total, record.processed) });
      if (!ended) return;
      const done = (await repo.get(importId))!;
      await deps.audit.record(
        ctx,
        {
          action: 'import.finish',
          objectType: 'import',
          objectId: importId,
          outcome: state === 'succeeded' ? 'success' : 'failure',
          details: {
            created: done.createdCount,
            updated: done.updatedCount,
            unchanged: done.unchangedCount,
            skipped: done.skippedCount,
            failed: done.failedCount,
            ...(errorCode ? { errorCode } : {}),
          },
        },
        tx,
      );
    });
  }

  return {
    async run(job: ImportJob, options: { workerId: string; signal: AbortSignal }): Promise<void> {
      const params = job.params as ImportJobParams;
      const { workerId } = options;
      const record = await deps.repo.byJob(job.id);
      const requester = params.actor ? await deps.repo.requesterNow(params.actor.userId, params.actor.tokenId) : null;
      const ctx = runContext(params, requester);
      if (!record) {
        // Its folder was deleted, and the import with it: the job ends, nothing is left to write.
        await deps.repo.endJob({ jobId: job.id, workerId, state: 'failed', errorCode: 'NOT_FOUND' });
        return;
      }
      const fail = (code: string) => end(ctx, job, record.id, workerId, 'failed', code);
      if (job.attempts > IMPORT_MAX_ATTEMPTS) return fail('INTERRUPTED');
      if (params.actor && !requester) return fail('REQUESTER_DISABLED');
      let upload: Awaited<ReturnType<typeof openUpload>> = null;
      try {
        upload = await openUpload(deps.vault, record.id, await deps.repo.uploadPartCount(record.id), (part) => deps.repo.uploadPart(record.id, part));
        if (!upload) return await fail('UPLOAD_MISSING');
        await deps.repo.markRunning(record.id);
        const source = await openImportSource(upload.file, {
          format: record.format as ImportFormat,
          mapping: params.mapping,
          kdbxPassword: upload.kdbxPassword,
        });
        const total = await importRows(deps, {
          ctx,
          record,
          rows: source.rows,
          destinationId: record.folderId,
          real: {
            done: await deps.repo.writtenRows(record.id),
            stillHeld: async (repo) => {
              if (!(await repo.holdsJob(job.id, workerId))) throw new ImportJobLostError(job.id);
            },
            afterBatch: async () => {
              await deps.faults?.hit('import-batch-written');
              if (options.signal.aborted) throw new RunYielded();
            },
          },
        });
        await end(ctx, job, record.id, workerId, 'succeeded', null, total);
      } catch (error) {
        if (error instanceof RunYielded) {
          await deps.repo.releaseJob(job.id, workerId);
          return;
        }
        if (error instanceof ImportJobLostError) {
          deps.logger.warn(
            { jobId: job.id, importId: record.id, workerId },
            'the import was taken over by another worker after this one lost its lease: this run stops',
          );
          return;
        }
        // No database: the job stays the worker's until its lease lapses, then a run resumes it.
        if (isDatabaseUnavailable(error)) throw error;
        const code = error instanceof AppError ? error.code : isVaultError(error) ? error.code : 'IMPORT_FAILED';
        // The code only: the error's text could quote the file.
        deps.logger.warn({ jobId: job.id, importId: record.id, code }, 'import stopped');
        await fail(code);
      } finally {
        upload?.wipe();
      }
    },
  };
}

export type ImportRunner = ReturnType<typeof createImportRunner>;
