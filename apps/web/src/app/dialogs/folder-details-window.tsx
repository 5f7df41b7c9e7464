import type { Folder } from '@passman/contracts';
import { useState } from 'react';
import { DescriptionList } from '@/components/ui/description-list';
import { TabbedWindow } from '@/components/ui/tabbed-window';
import { ApprovalRulesPanel } from '@/features/approvals/components/approval-rules-panel';
import { useFolder } from '@/features/folders/api/get-folder';
import { folderLabel } from '@/features/folders/folder-tree';
import { actionLabel } from '@/features/permissions/labels';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { LazyPermissionsTab } from './lazy-permissions-tab';

/** A folder's (or the Vault's) window: where it is, what it holds, the user's rights on it, and its permissions. */
export function FolderDetailsWindow({ folder: initial, onClose }: { folder: Folder; onClose: () => void }) {
  const { data: folder = initial } = useFolder(initial.id, initial);
  const [tab, setTab] = useState('details');
  const isRoot = folder.parentId === null;
  return (
    <TabbedWindow
      size="lg"
      title={isRoot ? t('folderDetails.vaultTitle', { name: folder.name }) : t('folderDetails.title', { name: folder.name })}
      description={isRoot ? t('folderDetails.vaultDescription') : t('folderDetails.in', { path: folder.path.map((p) => p.name).join(' / ') })}
      onClose={onClose}
      tabsLabel={t('folderDetails.tabs', { name: folder.name })}
      tabs={[
        { id: 'details', label: t('details.tab.details') },
        { id: 'permissions', label: t('details.tab.permissions') },
        { id: 'approvals', label: t('approvals.tab') },
      ]}
      selectedId={tab}
      onSelect={setTab}
    >
      {tab === 'details' ? (
        <DescriptionList
          items={[
            { label: t('folderDetails.path'), value: folderLabel(folder) },
            { label: t('folderDetails.holds'), value: t('folders.counts', folder.counts) },
            {
              label: t('folderDetails.myRights'),
              value: folder.myRights.length > 0 ? folder.myRights.map(actionLabel).join(', ') : t('folderDetails.onTheWay'),
            },
            { label: t('folderDetails.created'), value: formatDateTime(folder.createdAt) },
          ]}
        />
      ) : tab === 'approvals' ? (
        <ApprovalRulesPanel object={{ type: 'folder', id: folder.id, name: folder.name }} canEdit={folder.myRights.includes('manage_permissions')} />
      ) : (
        <LazyPermissionsTab object={{ type: 'folder', id: folder.id, name: folder.name }} myRights={folder.myRights} />
      )}
    </TabbedWindow>
  );
}
