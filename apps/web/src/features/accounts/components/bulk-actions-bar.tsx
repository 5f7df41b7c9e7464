import type { Account } from '@passman/contracts';
import { Button } from '@/components/ui/button';
import { t } from '@/i18n';
import { useAccountActions } from '../account-actions';

/**
 * What to do with the selected accounts. Always takes its height (empty when nothing is
 * selected), so selecting a row never pushes the table down. A button shows when the user may do
 * it on at least one selected account; the batch reports the accounts it left out.
 */
export function BulkActionsBar({ selected, onClear }: { selected: readonly Account[]; onClear: () => void }) {
  const actions = useAccountActions();
  const count = selected.length;
  const anyMay = (right: 'check' | 'reset') => selected.some((a) => a.myRights.includes(right));
  return (
    <div className="bulk-bar" data-active={count > 0 || undefined}>
      <p className="bulk-bar__count" role="status">
        {count > 0 ? t('accounts.bulk.selected', { count }) : t('accounts.bulk.hint')}
      </p>
      {count > 0 && (
        <div className="bulk-bar__buttons">
          {anyMay('check') && (
            <Button size="sm" onClick={() => actions.openBulk('check', selected, onClear)}>
              {t('accounts.bulk.check')}
            </Button>
          )}
          {anyMay('reset') && (
            <Button size="sm" onClick={() => actions.openBulk('reset', selected, onClear)}>
              {t('accounts.bulk.reset')}
            </Button>
          )}
          <Button size="sm" variant="ghost" onClick={onClear}>
            {t('accounts.bulk.clear')}
          </Button>
        </div>
      )}
    </div>
  );
}
