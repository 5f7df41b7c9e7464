import { useId, useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ConfirmDialog } from '@/components/ui/confirm-dialog';
import { CopyButton } from '@/components/ui/copy-button';
import { FormAlert } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { useRegenerateRecoveryCodes } from '../api/mfa';

/** Recovery codes just issued: shown this once, to be saved. */
export function RecoveryCodesShown({ codes, onDone }: { codes: string[]; onDone: () => void }) {
  return (
    <div className="recovery-codes" data-testid="recovery-codes">
      <Alert tone="warning">{t('mfa.codes.showOnce')}</Alert>
      <ol className="recovery-codes__list mono">
        {codes.map((code) => (
          <li key={code}>{code}</li>
        ))}
      </ol>
      <CopyButton text={codes.join('\n')} />
      <Button variant="primary" onClick={onDone}>
        {t('mfa.codes.saved')}
      </Button>
    </div>
  );
}

/** How many recovery codes are left, and New recovery codes (which replaces them all). */
export function RecoveryCodesSection({ left, hasFactor }: { left: number; hasFactor: boolean }) {
  const headingId = useId();
  const regenerate = useRegenerateRecoveryCodes();
  const [confirming, setConfirming] = useState(false);
  const [shown, setShown] = useState<string[] | null>(null);
  return (
    <section className="history-section" aria-labelledby={headingId}>
      <div className="section-head">
        <h3 id={headingId} className="section-title">
          {t('mfa.codes.heading')}
        </h3>
        <Button size="sm" disabled={!hasFactor} onClick={() => setConfirming(true)}>
          {t('mfa.codes.regenerate')}
        </Button>
      </div>
      <p>
        {t('mfa.codes.intro')} {hasFactor && t('mfa.codes.left', { count: left })}
      </p>
      {shown && <RecoveryCodesShown codes={shown} onDone={() => setShown(null)} />}
      {confirming && (
        <ConfirmDialog
          title={t('mfa.codes.regenerateTitle')}
          confirmLabel={t('mfa.codes.regenerate')}
          tone="primary"
          pending={regenerate.isPending}
          onCancel={() => setConfirming(false)}
          onConfirm={() =>
            regenerate.mutate(undefined, {
              onSuccess: (result) => {
                setConfirming(false);
                setShown(result.codes);
              },
            })
          }
        >
          <p>{t('mfa.codes.regenerateBody')}</p>
          {regenerate.isError && <FormAlert error={regenerate.error} />}
        </ConfirmDialog>
      )}
    </section>
  );
}
