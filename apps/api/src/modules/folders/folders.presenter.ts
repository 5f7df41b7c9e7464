import type { Folder, VaultAction } from '@passman/contracts';
import type { FolderRow } from './folders.repo.js';

export function presentFolder(row: FolderRow, myRights: VaultAction[]): Folder {
  return {
    id: row.id,
    parentId: row.parentId,
    name: row.name,
    path: JSON.parse(row.path) as Folder['path'],
    depth: row.depth,
    counts: { folders: row.folderCount, targets: row.targetCount, accounts: row.accountCount },
    myRights,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
