import type { Account } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { useAccountActions } from '../account-actions';

/**
 * What to do with the selected accounts. Always takes its height (empty when nothing is
 * selected), so selecting a row never pushes the table down.
 */
export function BulkActionsBar({ selected, onClear }: { selected: readonly Account[]; onClear: () => void }) {
  const actions = useAccountActions();
  const can = useCan();
  const count = selected.length;
  return (
    <div className="bulk-bar" data-active={count > 0 || undefined}>
      <p className="bulk-bar__count" role="status">
        {count > 0 ? t('accounts.bulk.selected', { count }) : t('accounts.bulk.hint')}
      </p>
      {count > 0 && (
        <div className="bulk-bar__buttons">
          <Button size="sm" disabled={!can('credentials.check')} onClick={() => actions.openBulk('check', selected, onClear)}>
            {t('accounts.bulk.check')}
          </Button>
          <Button size="sm" disabled={!can('credentials.reset')} onClick={() => actions.openBulk('reset', selected, onClear)}>
            {t('accounts.bulk.reset')}
          </Button>
          <Button size="sm" variant="ghost" onClick={onClear}>
            {t('accounts.bulk.clear')}
          </Button>
        </div>
      )}
    </div>
  );
}
