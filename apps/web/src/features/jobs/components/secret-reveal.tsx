import { useEffect, useState } from 'react';
import { CopyButton } from '@/components/ui/copy-button';
import { IconButton } from '@/components/ui/icon-button';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';

/** How long a revealed secret stays on screen before it is masked again. */
export const REVEAL_SECONDS = 30;

/**
 * A checked-out secret: masked until the eye is pressed, masked again after REVEAL_SECONDS
 * (the countdown is shown), copyable without revealing it.
 */
export function SecretReveal({ label, secret, multiline }: { label: string; secret: string; multiline: boolean }) {
  const [left, setLeft] = useState(0);
  const shown = left > 0;
  useEffect(() => {
    if (!shown) return;
    const timer = setTimeout(() => setLeft((s) => s - 1), 1000);
    return () => clearTimeout(timer);
  }, [shown, left]);

  return (
    <div className="secret-reveal">
      <p className="field__label" id="secret-label">
        {label}
      </p>
      <div className="secret-reveal__row">
        <pre
          className={cx('secret-reveal__value', multiline && 'is-multiline', !shown && 'is-masked')}
          aria-labelledby="secret-label"
          data-testid="checked-out-secret"
        >
          {shown ? secret : multiline ? t('checkout.maskedKey') : '•'.repeat(12)}
        </pre>
        <div className="secret-reveal__tools">
          <IconButton
            icon={shown ? 'eye-off' : 'eye'}
            label={shown ? t('secret.hide') : t('secret.show')}
            aria-pressed={shown}
            onClick={() => setLeft(shown ? 0 : REVEAL_SECONDS)}
          />
          <CopyButton text={secret} />
        </div>
      </div>
      <p className="field__hint" aria-live="polite">
        {shown ? t('checkout.hidingIn', { seconds: left }) : t('checkout.hiddenNote', { seconds: REVEAL_SECONDS })}
      </p>
    </div>
  );
}
