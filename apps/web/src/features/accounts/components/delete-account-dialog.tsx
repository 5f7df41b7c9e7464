import type { Account } from '@passman/contracts';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { useDeleteAccount } from '../api/delete-account';

export function DeleteAccountDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const remove = useDeleteAccount();
  return (
    <ConfirmDialog
      title={t('accounts.delete.title', { account: account.username })}
      confirmLabel={t('actions.delete')}
      pending={remove.isPending}
      onCancel={onClose}
      onConfirm={() => remove.mutate(account.id, { onSuccess: onClose })}
    >
      <p>{t('accounts.delete.body', { account: account.username, target: account.target.name })}</p>
      {remove.isError && <FormAlert error={remove.error} />}
    </ConfirmDialog>
  );
}
