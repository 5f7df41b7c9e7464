import type { Target } from '@passman/contracts';
import { useFolders } from '@/features/folders/api/get-folders';
import { folderChoices } from '@/features/folders/folder-tree';
import { TargetFormDialog } from '@/features/targets/components/target-form-dialog';

/** Add a target in one of the folders the user manages: the one chosen in the tree when they may, else the first. */
export function AddTargetDialog({ folderId, onClose, onSaved }: { folderId?: string | undefined; onClose: () => void; onSaved: (target: Target) => void }) {
  const folders = useFolders();
  // The form's default is read once: it waits for the folders.
  if (!folders.data) return null;
  const choices = folderChoices(folders.data.items, { right: 'manage' });
  const preferred = [folderId, folders.data.rootId].find((id) => id && choices.some((c) => c.value === id)) ?? choices[0]?.value;
  return <TargetFormDialog folders={choices} folderId={preferred} onClose={onClose} onSaved={onSaved} />;
}
