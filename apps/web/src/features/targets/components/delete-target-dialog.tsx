import type { Target } from '@passman/contracts';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { useDeleteTarget } from '../api/delete-target';

export function DeleteTargetDialog({ target, onClose }: { target: Target; onClose: () => void }) {
  const remove = useDeleteTarget();
  return (
    <ConfirmDialog
      title={t('targets.delete.title', { name: target.name })}
      confirmLabel={t('actions.delete')}
      pending={remove.isPending}
      onCancel={onClose}
      onConfirm={() => remove.mutate(target.id, { onSuccess: onClose })}
    >
      <p>{t('targets.delete.body', { name: target.name, count: target.accountCount })}</p>
      {remove.isError && <FormAlert error={remove.error} />}
    </ConfirmDialog>
  );
}
