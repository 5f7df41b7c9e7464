import { zodResolver } from '@hookform/resolvers/zod';
import { FolderNameSchema, z, type Folder } from '@passman/contracts';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { fieldMessages } from '@/lib/form-errors';
import { useCreateFolder } from '../api/create-folder';
import { useRenameVault } from '../api/rename-vault';
import { useUpdateFolder } from '../api/update-folder';
import { folderLabel } from '../folder-tree';

const FolderFormSchema = z.object({ name: FolderNameSchema });

export type FolderFormMode = { kind: 'create'; parent: Folder } | { kind: 'rename'; folder: Folder };

/** A new folder under `parent`, or a new name for a folder (the root, the Vault, through PATCH /vault). */
export function FolderFormDialog({ mode, onClose, onSaved }: { mode: FolderFormMode; onClose: () => void; onSaved?: (folder: Folder) => void }) {
  const create = useCreateFolder();
  const update = useUpdateFolder();
  const renameVault = useRenameVault();
  const isRoot = mode.kind === 'rename' && mode.folder.parentId === null;
  const mutation = mode.kind === 'create' ? create : isRoot ? renameVault : update;
  const form = useForm({ resolver: zodResolver(FolderFormSchema), defaultValues: { name: mode.kind === 'rename' ? mode.folder.name : '' } });
  const errors = fieldMessages(form.formState.errors, fieldErrors(mutation.error), { name: t('folders.form.nameInvalid') });

  const submit = form.handleSubmit(({ name }) => {
    const done = { onSuccess: (saved: Folder) => (onSaved ? onSaved(saved) : onClose()) };
    if (mode.kind === 'create') create.mutate({ name, parentId: mode.parent.id }, done);
    else if (isRoot) renameVault.mutate(name, done);
    else update.mutate({ id: mode.folder.id, name }, done);
  });

  const title =
    mode.kind === 'create'
      ? t('folders.form.createTitle')
      : isRoot
        ? t('folders.form.renameVaultTitle', { name: mode.folder.name })
        : t('folders.form.renameTitle', { name: mode.folder.name });
  return (
    <Dialog
      title={title}
      description={mode.kind === 'create' ? t('folders.form.in', { path: folderLabel(mode.parent) }) : isRoot ? t('folders.form.vaultHint') : undefined}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="folder-form" variant="primary" pending={mutation.isPending}>
            {mode.kind === 'create' ? t('folders.form.create') : t('folders.form.rename')}
          </Button>
        </>
      }
    >
      <form id="folder-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField label={t('folders.form.name')} {...form.register('name')} data-autofocus maxLength={200} autoComplete="off" error={errors.name} />
        {mutation.isError && <FormAlert error={mutation.error} shownFields={['name']} />}
      </form>
    </Dialog>
  );
}
