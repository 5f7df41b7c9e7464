import type { DeleteFolderQuery } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { useDeleteFolder } from '../api/delete-folder';
import { subtreeTotals, type FolderNode } from '../folder-tree';

type Content = DeleteFolderQuery['content'];

/**
 * Delete a folder. One that holds something asks what becomes of it: nothing (the delete is
 * refused unless the folder is empty), moved up to the parent, or deleted with it — with the counts.
 */
export function DeleteFolderDialog({
  node,
  parentName,
  onClose,
  onDeleted,
}: {
  node: FolderNode;
  parentName: string;
  onClose: () => void;
  onDeleted: () => void;
}) {
  const { folder } = node;
  const remove = useDeleteFolder();
  const totals = subtreeTotals(node);
  // What the caller sees may be less than what the folder holds: a refusal (409) shows the choices too.
  const refused = isApiError(remove.error) && remove.error.status === 409;
  const holdsSomething = folder.counts.folders > 0 || folder.counts.targets > 0 || refused;
  const [content, setContent] = useState<Content>(holdsSomething ? 'move' : 'refuse');
  const options: { value: Content; label: string; hint: string }[] = [
    { value: 'refuse', label: t('folders.delete.refuse'), hint: t('folders.delete.refuseHint') },
    { value: 'move', label: t('folders.delete.move', { parent: parentName }), hint: t('folders.delete.moveHint', folder.counts) },
    { value: 'delete', label: t('folders.delete.everything'), hint: t('folders.delete.everythingHint', totals) },
  ];
  return (
    <Dialog
      role="alertdialog"
      title={t('folders.delete.title', { name: folder.name })}
      onClose={onClose}
      footer={
        <>
          <Button data-autofocus onClick={onClose}>
            {t('common.cancel')}
          </Button>
          <Button variant="danger" pending={remove.isPending} onClick={() => remove.mutate({ id: folder.id, content }, { onSuccess: onDeleted })}>
            {t('folders.delete.submit')}
          </Button>
        </>
      }
    >
      <div className="dialog__prose">
        <p>{holdsSomething ? t('folders.delete.holds', totals) : t('folders.delete.empty', { name: folder.name })}</p>
        {holdsSomething && (
          <fieldset className="choice-group">
            <legend>{t('folders.delete.question')}</legend>
            {options.map((option) => (
              <label key={option.value} className="choice">
                <input type="radio" name="folder-content" value={option.value} checked={content === option.value} onChange={() => setContent(option.value)} />
                <span>
                  <span className="choice__label">{option.label}</span>
                  <span className="choice__hint">{option.hint}</span>
                </span>
              </label>
            ))}
          </fieldset>
        )}
        {remove.isError && <FormAlert error={remove.error} />}
      </div>
    </Dialog>
  );
}
