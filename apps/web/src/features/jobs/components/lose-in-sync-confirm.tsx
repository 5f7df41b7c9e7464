import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { t } from '@/i18n';

/** Asks before a vault-only reset takes InSync accounts out of sync (the API wants acknowledgeLossOfSync). */
export function LoseInSyncConfirm({ warning, onCancel, onConfirm }: { warning: string; onCancel: () => void; onConfirm: () => void }) {
  return (
    <ConfirmDialog title={t('reset.confirmTitle')} confirmLabel={t('reset.confirmVaultOnly')} onCancel={onCancel} onConfirm={onConfirm}>
      <p>{warning}</p>
      <p>{t('reset.confirmQuestion')}</p>
    </ConfirmDialog>
  );
}
