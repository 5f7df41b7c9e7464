import type { Folder } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { t } from '@/i18n';
import { useFolders } from '../api/get-folders';
import { useUpdateFolder } from '../api/update-folder';
import { folderChoices, folderLabel } from '../folder-tree';

/** Move a folder, with everything below it, under another folder the caller manages. */
export function MoveFolderDialog({ folder, onClose }: { folder: Folder; onClose: () => void }) {
  const folders = useFolders();
  const move = useUpdateFolder();
  const choices = folderChoices(folders.data?.items ?? [], { right: 'manage', exclude: folder.id }).filter((c) => c.value !== folder.parentId);
  const [parentId, setParentId] = useState('');
  const [missing, setMissing] = useState(false);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!parentId) {
      setMissing(true);
      return;
    }
    move.mutate({ id: folder.id, parentId }, { onSuccess: onClose });
  }

  return (
    <Dialog
      title={t('folders.move.title', { name: folder.name })}
      description={t('folders.move.from', { path: folderLabel(folder) })}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="move-folder-form" variant="primary" pending={move.isPending}>
            {t('folders.move.submit')}
          </Button>
        </>
      }
    >
      <form id="move-folder-form" className="form" onSubmit={submit} noValidate>
        <SelectField
          label={t('folders.move.parent')}
          hint={t('folders.move.hint')}
          value={parentId}
          onChange={(e) => {
            setParentId(e.target.value);
            setMissing(false);
          }}
          error={missing ? t('folders.move.parentRequired') : fieldErrors(move.error).parentId}
          options={[{ value: '', label: t('folders.move.choose') }, ...choices]}
          data-autofocus
        />
        {folders.isSuccess && choices.length === 0 && <p className="muted">{t('folders.move.nowhere')}</p>}
        {move.isError && <FormAlert error={move.error} shownFields={['parentId']} />}
      </form>
    </Dialog>
  );
}
