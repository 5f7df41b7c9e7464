import type { Group } from '@passman/contracts';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { useDeleteGroup } from '../api/delete-group';

export function DeleteGroupDialog({ group, onClose }: { group: Group; onClose: () => void }) {
  const remove = useDeleteGroup();
  return (
    <ConfirmDialog
      title={t('groups.delete.title', { name: group.name })}
      confirmLabel={t('actions.delete')}
      pending={remove.isPending}
      onCancel={onClose}
      onConfirm={() => remove.mutate(group.id, { onSuccess: onClose })}
    >
      <p>{t('groups.delete.body', { name: group.name, count: group.memberCount })}</p>
      {remove.isError && <FormAlert error={remove.error} />}
    </ConfirmDialog>
  );
}
