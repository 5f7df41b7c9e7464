import type { Target } from '@passman/contracts';
import { MenuButton, type MenuItem } from '@/components/ui/menu';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { useTargetActions } from '../target-actions';

/** The context menu of a target: its Accounts window, add account, edit, host key, delete. */
export function TargetRowActions({ target }: { target: Target }) {
  const actions = useTargetActions();
  const can = useCan();
  const items: MenuItem[] = [
    { id: 'accounts', label: t('targets.menu.accounts'), onSelect: () => actions.open('accounts', target) },
    { id: 'addAccount', label: t('targets.menu.addAccount'), disabled: !can('accounts.manage'), onSelect: () => actions.open('addAccount', target) },
    { id: 'hostKey', label: t('targets.menu.hostKey'), disabled: !can('targets.manage'), onSelect: () => actions.open('hostKey', target) },
    { id: 'edit', label: t('targets.menu.edit'), disabled: !can('targets.manage'), onSelect: () => actions.open('edit', target) },
    { id: 'delete', label: t('targets.menu.delete'), danger: true, disabled: !can('targets.manage'), onSelect: () => actions.open('delete', target) },
  ];
  return <MenuButton label={t('targets.actionsFor', { name: target.name })} items={items} />;
}
