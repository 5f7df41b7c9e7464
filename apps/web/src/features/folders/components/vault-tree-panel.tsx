import type { Folder } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { MenuButton, type MenuItem } from '@/components/ui/menu';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { useFolders } from '../api/get-folders';
import { ancestorIds, buildFolderTree, findNode, type FolderNode } from '../folder-tree';
import { DeleteFolderDialog } from './delete-folder-dialog';
import { FolderFormDialog, type FolderFormMode } from './folder-form-dialog';
import { FolderTree } from './folder-tree';
import { MoveFolderDialog } from './move-folder-dialog';

export interface VaultTreePanelProps {
  /** The folder the lists are filtered by (from the address); undefined: the whole vault. */
  selectedId: string | undefined;
  /** Choose a folder; the root means the whole vault. */
  onSelect: (folder: Folder, isRoot: boolean) => void;
  /** The folder's details window with its permissions (the app composes it). */
  onOpenDetails: (folder: Folder) => void;
}

type Open = { kind: 'form'; mode: FolderFormMode } | { kind: 'move'; folder: Folder } | { kind: 'delete'; node: FolderNode; parentName: string } | null;

/**
 * The tree panel beside the Accounts and Targets tabs: the Vault and the folders the user may see,
 * with what each holds; choosing one filters the lists. The buttons act on the chosen folder and
 * show only where the user's rights on it allow them.
 */
export function VaultTreePanel({ selectedId, onSelect, onOpenDetails }: VaultTreePanelProps) {
  const folders = useFolders();
  const items = folders.data?.items;
  const root = items ? buildFolderTree(items) : null;
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [open, setOpen] = useState<Open>(null);

  // The way to the chosen folder opens once per choice or move (a link or a reload lands on it), and stays as the user leaves it after.
  const [openedFor, setOpenedFor] = useState<string | null>(null);
  const wanted = root && items ? `${root.folder.id}:${selectedId ?? ''}:${ancestorIds(items, selectedId).join('.')}` : null;
  if (items && root && wanted !== openedFor) {
    setOpenedFor(wanted);
    setExpanded((current) => new Set([...current, root.folder.id, ...ancestorIds(items, selectedId)]));
  }

  const selectedNode = (root && selectedId && findNode(root, selectedId)) || root;
  const setNodeOpen = (id: string, on: boolean) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });

  if (folders.isPending) {
    return (
      <aside className="vault-tree" aria-label={t('folders.panel')} aria-busy="true">
        <div className="vault-tree__loading" role="status">
          <Spinner size="sm" />
          <span>{t('table.loading')}</span>
        </div>
      </aside>
    );
  }
  if (folders.isError) {
    return (
      <aside className="vault-tree" aria-label={t('folders.panel')}>
        <ErrorState error={folders.error} onRetry={() => void folders.refetch()} retrying={folders.isRefetching} />
      </aside>
    );
  }
  if (!root || !selectedNode) {
    return (
      <aside className="vault-tree" aria-label={t('folders.panel')}>
        <p className="muted vault-tree__empty">{t('folders.noneShared')}</p>
      </aside>
    );
  }

  const current = selectedNode.folder;
  const isRoot = current.parentId === null;
  const manage = current.myRights.includes('manage');
  const parentName = current.path[current.path.length - 1]?.name ?? '';
  const menu: MenuItem[] = [
    { id: 'details', label: t('folders.menu.details'), onSelect: () => onOpenDetails(current) },
    ...(manage
      ? [
          { id: 'rename', label: t('folders.menu.rename'), onSelect: () => setOpen({ kind: 'form', mode: { kind: 'rename', folder: current } }) },
          ...(isRoot
            ? []
            : [
                { id: 'move', label: t('folders.menu.move'), onSelect: () => setOpen({ kind: 'move', folder: current }) },
                {
                  id: 'delete',
                  label: t('folders.menu.delete'),
                  danger: true,
                  onSelect: () => setOpen({ kind: 'delete', node: selectedNode, parentName }),
                },
              ]),
        ]
      : []),
  ];
  const close = () => setOpen(null);

  return (
    <aside className="vault-tree" aria-label={t('folders.panel')}>
      <div className="vault-tree__head">
        <p className="vault-tree__current" title={current.name}>
          <span className="sr-only">{t('folders.current')} </span>
          {current.name}
        </p>
        <div className="vault-tree__buttons">
          {manage && (
            <Button size="sm" onClick={() => setOpen({ kind: 'form', mode: { kind: 'create', parent: current } })}>
              {t('folders.new')}
            </Button>
          )}
          <MenuButton label={t('folders.actionsFor', { name: current.name })} items={menu} />
        </div>
      </div>
      <FolderTree
        root={root}
        label={t('folders.treeLabel')}
        expanded={expanded}
        onExpandedChange={setNodeOpen}
        selectedId={current.id}
        onSelect={(node) => onSelect(node.folder, node.folder.parentId === null)}
      />
      {open?.kind === 'form' && (
        <FolderFormDialog
          mode={open.mode}
          onClose={close}
          onSaved={() => {
            if (open.mode.kind === 'create') setNodeOpen(open.mode.parent.id, true);
            close();
          }}
        />
      )}
      {open?.kind === 'move' && <MoveFolderDialog folder={open.folder} onClose={close} />}
      {open?.kind === 'delete' && (
        <DeleteFolderDialog
          node={open.node}
          parentName={open.parentName}
          onClose={close}
          onDeleted={() => {
            close();
            const parent = open.node.folder.parentId && findNode(root, open.node.folder.parentId);
            if (parent) onSelect(parent.folder, parent.folder.parentId === null);
          }}
        />
      )}
    </aside>
  );
}
