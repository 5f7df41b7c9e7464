import type { Policy } from '@passman/contracts';
import { useState } from 'react';
import { Badge } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { DataTable, EmptyState, type Column } from '@/components/ui/data-table';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert } from '@/components/ui/form-alert';
import { MenuButton } from '@/components/ui/menu';
import { Toolbar } from '@/components/ui/toolbar';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { useDeletePolicy } from '../api/delete-policy';
import { usePolicies } from '../api/get-policies';
import { PolicyFormDialog } from './policy-form-dialog';

function classes(p: Policy): string {
  const parts = [p.useLowercase && 'a-z', p.useUppercase && 'A-Z', p.useDigits && '0-9', p.useSymbols && '#$%'].filter(Boolean);
  return parts.join(' ');
}

type Editing = { policy?: Policy } | null;

/** The Policies page: every policy, add, edit, delete (not the default one). */
export function PoliciesTable() {
  const query = usePolicies();
  const can = useCan();
  const remove = useDeletePolicy();
  const [editing, setEditing] = useState<Editing>(null);
  const [deleting, setDeleting] = useState<Policy | null>(null);
  const manage = can('policies.manage');

  const columns: Column<Policy>[] = [
    {
      id: 'name',
      header: t('policies.col.name'),
      width: '22%',
      cell: (p) => (
        <span className="cell-main">
          {p.name} {p.isDefault && <Badge tone="success">{t('policies.default')}</Badge>}
        </span>
      ),
    },
    {
      id: 'password',
      header: t('policies.col.password'),
      width: '22%',
      cell: (p) => t('policies.passwordSummary', { length: p.passwordLength, classes: classes(p) }),
    },
    { id: 'pin', header: t('policies.col.pin'), width: '9%', cell: (p) => t('policies.pinSummary', { length: p.pinLength }) },
    { id: 'ssh', header: t('policies.col.sshKey'), width: '17%', cell: (p) => (p.sshKeyBits ? `${p.sshKeyType} · ${p.sshKeyBits}` : p.sshKeyType) },
    {
      id: 'rotation',
      header: t('policies.col.rotation'),
      width: '12%',
      cell: (p) => (p.rotationIntervalDays ? t('policies.days', { days: p.rotationIntervalDays }) : t('policies.noRotation')),
    },
    { id: 'accounts', header: t('policies.col.accounts'), width: '9%', align: 'end', cell: (p) => p.accountCount },
    {
      id: 'actions',
      header: t('policies.col.actions'),
      width: '9%',
      align: 'end',
      cell: (p) => (
        <MenuButton
          label={t('policies.actionsFor', { name: p.name })}
          items={[
            { id: 'edit', label: t('policies.edit'), disabled: !manage, onSelect: () => setEditing({ policy: p }) },
            { id: 'delete', label: t('policies.delete'), danger: true, disabled: !manage || p.isDefault, onSelect: () => setDeleting(p) },
          ]}
        />
      ),
    },
  ];

  return (
    <div className="browser">
      <Toolbar
        label={t('policies.toolbar')}
        end={
          manage && (
            <Button variant="primary" onClick={() => setEditing({})}>
              {t('policies.add')}
            </Button>
          )
        }
      >
        <p className="muted">{t('policies.intro')}</p>
      </Toolbar>
      <DataTable
        label={t('policies.tableLabel')}
        columns={columns}
        rows={query.data}
        getRowId={(p) => p.id}
        status={query.status}
        empty={<EmptyState heading={t('policies.empty')} />}
        error={<ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} />}
      />
      {editing && <PolicyFormDialog policy={editing.policy} onClose={() => setEditing(null)} />}
      {deleting && (
        <ConfirmDialog
          title={t('policies.deleteTitle', { name: deleting.name })}
          confirmLabel={t('policies.delete')}
          pending={remove.isPending}
          onCancel={() => {
            remove.reset();
            setDeleting(null);
          }}
          onConfirm={() => remove.mutate(deleting.id, { onSuccess: () => setDeleting(null) })}
        >
          <p>{t('policies.deleteBody', { count: deleting.accountCount })}</p>
          {remove.isError && <FormAlert error={remove.error} />}
        </ConfirmDialog>
      )}
    </div>
  );
}
