import type { Account } from '@passman/contracts';
import { useEffect, useRef } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { useCheckAccount } from '../api/check-account';
import { JobProgress } from './job-progress';

/**
 * Check Credentials: starts at once (it changes nothing), then shows per credential true or
 * false; the account is InSync if and only if all are true.
 */
export function CheckDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const check = useCheckAccount();
  const { mutate } = check;
  const started = useRef<string | null>(null);
  useEffect(() => {
    // Once per account, also under StrictMode's double effects in development.
    if (started.current === account.id) return;
    started.current = account.id;
    mutate(account.id);
  }, [mutate, account.id]);

  return (
    <Dialog
      title={t('check.title', { account: account.username })}
      description={t('reset.description', { target: account.target.name })}
      onClose={onClose}
      footer={
        <>
          {check.isError && (
            <Button onClick={() => check.mutate(account.id)} pending={check.isPending}>
              {t('errors.retry')}
            </Button>
          )}
          <Button variant="primary" onClick={onClose}>
            {t('common.close')}
          </Button>
        </>
      }
    >
      {check.data ? <JobProgress jobId={check.data.id} /> : check.isError ? <FormAlert error={check.error} /> : <Spinner />}
    </Dialog>
  );
}
