import type { ReactNode } from 'react';
import { t } from '@/i18n';
import { Button } from './button';
import { Dialog } from './dialog';

export interface ConfirmDialogProps {
  title: string;
  children: ReactNode;
  confirmLabel: string;
  onConfirm: () => void;
  onCancel: () => void;
  tone?: 'danger' | 'primary';
  pending?: boolean;
}

/** Asks before something that cannot be undone; Cancel has the focus first. */
export function ConfirmDialog({ title, children, confirmLabel, onConfirm, onCancel, tone = 'danger', pending }: ConfirmDialogProps) {
  return (
    <Dialog
      role="alertdialog"
      size="sm"
      title={title}
      onClose={onCancel}
      footer={
        <>
          <Button data-autofocus onClick={onCancel}>
            {t('common.cancel')}
          </Button>
          <Button variant={tone} pending={pending} onClick={onConfirm}>
            {confirmLabel}
          </Button>
        </>
      }
    >
      <div className="dialog__prose">{children}</div>
    </Dialog>
  );
}
