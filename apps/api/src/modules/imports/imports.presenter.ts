import type { Import, ImportRow } from '@passman/contracts';
import type { ImportRecord } from './imports.repo.js';

export function presentImport(record: ImportRecord): Import {
  return {
    id: record.id,
    state: record.state as Import['state'],
    dryRun: record.dryRun,
    format: record.format as Import['format'],
    fileName: record.fileName,
    headers: record.headers,
    folderId: record.folderId,
    counts: {
      total: record.total,
      processed: record.processed,
      create: record.createdCount,
      update: record.updatedCount,
      unchanged: record.unchangedCount,
      skip: record.skippedCount,
      failed: record.failedCount,
    },
    errorCode: record.errorCode,
    createdAt: record.createdAt.toISOString(),
    finishedAt: record.finishedAt?.toISOString() ?? null,
  };
}

export function presentImportRow(row: {
  row: number;
  targetType: string;
  target: string;
  account: string;
  groupPath: string;
  outcome: string;
  reason: string | null;
  message: string | null;
}): ImportRow {
  return {
    row: row.row,
    targetType: row.targetType,
    target: row.target,
    account: row.account,
    groupPath: row.groupPath,
    outcome: row.outcome as ImportRow['outcome'],
    reason: row.reason as ImportRow['reason'],
    message: row.message,
  };
}
