import type { Target } from '@passman/contracts';
import { MenuButton, type MenuItem } from '@/components/ui/menu';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { useTargetActions } from '../target-actions';

/**
 * The context menu of a target: its Accounts window and permissions, add account, host key, edit,
 * move, delete. An entry shows only where the target's rights allow it (`myRights`, narrowed by the role).
 */
export function TargetRowActions({ target }: { target: Target }) {
  const actions = useTargetActions();
  const can = useCan();
  const manage = target.myRights.includes('manage');
  const items: (MenuItem | false)[] = [
    { id: 'accounts', label: t('targets.menu.accounts'), onSelect: () => actions.open('accounts', target) },
    { id: 'permissions', label: t('targets.menu.permissions'), onSelect: () => actions.open('permissions', target) },
    manage && can('accounts.manage') && { id: 'addAccount', label: t('targets.menu.addAccount'), onSelect: () => actions.open('addAccount', target) },
    manage && { id: 'hostKey', label: t('targets.menu.hostKey'), onSelect: () => actions.open('hostKey', target) },
    manage && { id: 'edit', label: t('targets.menu.edit'), onSelect: () => actions.open('edit', target) },
    manage && { id: 'move', label: t('targets.menu.move'), onSelect: () => actions.open('move', target) },
    manage && { id: 'delete', label: t('targets.menu.delete'), danger: true, onSelect: () => actions.open('delete', target) },
  ];
  return <MenuButton label={t('targets.actionsFor', { name: target.name })} items={items.filter((item): item is MenuItem => item !== false)} />;
}
