import type { MfaFactor } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { FormAlert } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useRemoveFactor, useRenameFactor } from '../api/mfa';

/** My confirmed factors, each with Rename and Remove. */
export function FactorList({ factors, status }: { factors: MfaFactor[] | undefined; status: 'pending' | 'error' | 'success' }) {
  const rename = useRenameFactor();
  const remove = useRemoveFactor();
  const [renaming, setRenaming] = useState<{ factor: MfaFactor; name: string } | null>(null);
  const [removing, setRemoving] = useState<MfaFactor | null>(null);

  const columns: Column<MfaFactor>[] = [
    { id: 'name', header: t('mfa.security.col.name'), width: '28%', cell: (f) => f.name },
    {
      id: 'kind',
      header: t('mfa.security.col.kind'),
      width: '18%',
      cell: (f) => t(f.kind === 'totp' ? 'mfa.security.kind.totp' : 'mfa.security.kind.webauthn'),
    },
    { id: 'added', header: t('mfa.security.col.added'), width: '18%', cell: (f) => formatDateTime(f.createdAt) },
    {
      id: 'lastUsed',
      header: t('mfa.security.col.lastUsed'),
      width: '18%',
      cell: (f) => (f.lastUsedAt ? formatDateTime(f.lastUsedAt) : t('mfa.security.never')),
    },
    {
      id: 'actions',
      header: t('mfa.security.col.actions'),
      width: '18%',
      align: 'end',
      cell: (f) => (
        <>
          <Button
            size="sm"
            variant="ghost"
            aria-label={t('mfa.security.renameLabel', { name: f.name })}
            onClick={() => setRenaming({ factor: f, name: f.name })}
          >
            {t('mfa.security.rename')}
          </Button>
          <Button size="sm" variant="danger" aria-label={t('mfa.security.removeLabel', { name: f.name })} onClick={() => setRemoving(f)}>
            {t('mfa.security.remove')}
          </Button>
        </>
      ),
    },
  ];

  return (
    <>
      <DataTable
        label={t('mfa.security.factors')}
        columns={columns}
        rows={factors}
        getRowId={(f) => f.id}
        status={status}
        skeletonRows={1}
        empty={<EmptyState heading={t('mfa.security.none')} />}
      />
      {renaming && (
        <ConfirmDialog
          title={t('mfa.security.renameLabel', { name: renaming.factor.name })}
          confirmLabel={t('mfa.security.save')}
          tone="primary"
          pending={rename.isPending}
          onCancel={() => setRenaming(null)}
          onConfirm={() => rename.mutate({ id: renaming.factor.id, name: renaming.name.trim() }, { onSuccess: () => setRenaming(null) })}
        >
          <TextField
            label={t('mfa.security.newName')}
            value={renaming.name}
            maxLength={100}
            onChange={(e) => setRenaming({ ...renaming, name: e.target.value })}
            autoFocus
          />
          {rename.isError && <FormAlert error={rename.error} />}
        </ConfirmDialog>
      )}
      {removing && (
        <ConfirmDialog
          title={t('mfa.security.removeTitle', { name: removing.name })}
          confirmLabel={t('mfa.security.remove')}
          pending={remove.isPending}
          onCancel={() => setRemoving(null)}
          onConfirm={() => remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
        >
          <p>{t('mfa.security.removeBody')}</p>
          {remove.isError && <FormAlert error={remove.error} />}
        </ConfirmDialog>
      )}
    </>
  );
}
