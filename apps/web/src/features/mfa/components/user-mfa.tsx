import type { User } from '@passman/contracts';
import { useId, useState } from 'react';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { useResetUserMfa, useUserMfa } from '../api/mfa';

/** On a user's admin window: how many second factors the user has, and Reset (a lost phone). */
export function UserMfa({ user }: { user: User }) {
  const headingId = useId();
  const query = useUserMfa(user.id);
  const reset = useResetUserMfa(user.id);
  const [confirming, setConfirming] = useState(false);
  const count = query.data?.factors.length ?? 0;
  return (
    <section className="history-section" aria-labelledby={headingId}>
      <div className="section-head">
        <h3 id={headingId} className="section-title">
          {t('mfa.user.heading')}
        </h3>
        <Button size="sm" variant="danger" disabled={!query.data || (count === 0 && query.data.recoveryCodesLeft === 0)} onClick={() => setConfirming(true)}>
          {t('mfa.user.reset')}
        </Button>
      </div>
      {query.data && (
        <p>
          {t('mfa.user.count', { count })} {query.data.factors.map((f) => f.name).join(', ')}
        </p>
      )}
      {confirming && (
        <ConfirmDialog
          title={t('mfa.user.resetTitle', { name: user.username })}
          confirmLabel={t('mfa.user.reset')}
          pending={reset.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() => reset.mutate(undefined, { onSuccess: () => setConfirming(false) })}
        >
          <p>{t('mfa.user.resetBody')}</p>
          {reset.isError && <FormAlert error={reset.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
