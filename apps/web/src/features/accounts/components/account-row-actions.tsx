import type { Account } from '@passman/contracts';
import { IconButton } from '@/components/ui/icon-button';
import { MenuButton, type MenuItem } from '@/components/ui/menu';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { useAccountActions } from '../account-actions';

/**
 * The Actions cell: the context menu (Check, CheckOut, Reset Credentials, History) and the "i".
 * An entry shows only where the account's rights allow it (`myRights`, already narrowed by the role).
 */
export function AccountRowActions({ account }: { account: Account }) {
  const actions = useAccountActions();
  const can = useCan();
  const name = t('accounts.accountOnTarget', { account: account.username, target: account.target.name });
  const rights = new Set(account.myRights);
  const items: (MenuItem | false)[] = [
    rights.has('check') && { id: 'check', label: t('actions.check'), onSelect: () => actions.open('check', account) },
    rights.has('checkout') && { id: 'checkout', label: t('actions.checkout'), onSelect: () => actions.open('checkout', account) },
    rights.has('reset') && { id: 'reset', label: t('actions.reset'), onSelect: () => actions.open('reset', account) },
    can('credentials.view') && { id: 'history', label: t('actions.history'), onSelect: () => actions.open('history', account) },
  ];
  const shown = items.filter((item): item is MenuItem => item !== false);
  return (
    <span className="row-actions">
      {shown.length > 0 && <MenuButton label={t('accounts.actionsFor', { name })} items={shown} />}
      <IconButton icon="info" size="sm" label={t('accounts.detailsFor', { name })} onClick={() => actions.open('details', account)} />
    </span>
  );
}
