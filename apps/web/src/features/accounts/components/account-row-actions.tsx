import type { Account } from '@passman/contracts';
import { IconButton } from '@/components/ui/icon-button';
import { MenuButton, type MenuItem } from '@/components/ui/menu';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { useAccountActions } from '../account-actions';

/** The Actions cell: the context menu (Check, CheckOut, Reset Credentials, History) and the "i". */
export function AccountRowActions({ account }: { account: Account }) {
  const actions = useAccountActions();
  const can = useCan();
  const name = t('accounts.accountOnTarget', { account: account.username, target: account.target.name });
  const items: MenuItem[] = [
    { id: 'check', label: t('actions.check'), disabled: !can('credentials.check'), onSelect: () => actions.open('check', account) },
    { id: 'checkout', label: t('actions.checkout'), disabled: !can('credentials.checkout'), onSelect: () => actions.open('checkout', account) },
    { id: 'reset', label: t('actions.reset'), disabled: !can('credentials.reset'), onSelect: () => actions.open('reset', account) },
    { id: 'history', label: t('actions.history'), disabled: !can('credentials.view'), onSelect: () => actions.open('history', account) },
  ];
  return (
    <span className="row-actions">
      <MenuButton label={t('accounts.actionsFor', { name })} items={items} />
      <IconButton icon="info" size="sm" label={t('accounts.detailsFor', { name })} onClick={() => actions.open('details', account)} />
    </span>
  );
}
