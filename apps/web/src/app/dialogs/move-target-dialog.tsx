import type { Target } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { useFolders } from '@/features/folders/api/get-folders';
import { folderChoices, folderLabel } from '@/features/folders/folder-tree';
import { useUpdateTarget } from '@/features/targets/api/update-target';
import { t } from '@/i18n';

/** Move a target, with its accounts, to another folder the user manages. */
export function MoveTargetDialog({ target, onClose }: { target: Target; onClose: () => void }) {
  const folders = useFolders();
  const move = useUpdateTarget();
  const items = folders.data?.items ?? [];
  const current = items.find((f) => f.id === target.folderId);
  const choices = folderChoices(items, { right: 'manage' }).filter((c) => c.value !== target.folderId);
  const [folderId, setFolderId] = useState('');
  const [missing, setMissing] = useState(false);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!folderId) {
      setMissing(true);
      return;
    }
    move.mutate({ id: target.id, folderId }, { onSuccess: onClose });
  }

  return (
    <Dialog
      title={t('targets.move.title', { name: target.name })}
      description={current ? t('targets.move.from', { path: folderLabel(current) }) : undefined}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="move-target-form" variant="primary" pending={move.isPending}>
            {t('targets.move.submit')}
          </Button>
        </>
      }
    >
      <form id="move-target-form" className="form" onSubmit={submit} noValidate>
        <SelectField
          label={t('targets.move.folder')}
          hint={t('targets.move.hint')}
          value={folderId}
          onChange={(e) => {
            setFolderId(e.target.value);
            setMissing(false);
          }}
          error={missing ? t('targets.move.folderRequired') : fieldErrors(move.error).folderId}
          options={[{ value: '', label: t('targets.move.choose') }, ...choices]}
          data-autofocus
        />
        {folders.isSuccess && choices.length === 0 && <p className="muted">{t('targets.move.nowhere')}</p>}
        {move.isError && <FormAlert error={move.error} shownFields={['folderId']} />}
      </form>
    </Dialog>
  );
}
