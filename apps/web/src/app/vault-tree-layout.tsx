import type { Folder } from '@passman/contracts';
import { useState, type ReactNode } from 'react';
import { VaultTreePanel } from '@/features/folders/components/vault-tree-panel';
import { FolderDetailsWindow } from './dialogs/folder-details-window';

/**
 * The Accounts and Targets tabs: the vault tree on the left, the tab's list beside it. Choosing a
 * folder filters the list (the page keeps the choice in its address); the root clears the filter.
 */
export function VaultTreeLayout({
  folderId,
  onFolderChange,
  children,
}: {
  folderId: string | undefined;
  onFolderChange: (folderId: string | undefined) => void;
  children: ReactNode;
}) {
  const [details, setDetails] = useState<Folder | null>(null);
  return (
    <div className="vault-layout">
      <VaultTreePanel selectedId={folderId} onSelect={(folder, isRoot) => onFolderChange(isRoot ? undefined : folder.id)} onOpenDetails={setDetails} />
      <div className="vault-layout__main">{children}</div>
      {details && <FolderDetailsWindow folder={details} onClose={() => setDetails(null)} />}
    </div>
  );
}
