import { useEffect, useState } from 'react';
import { t } from '@/i18n';
import { copyText } from '@/lib/clipboard';
import { Button } from './button';
import { Icon } from './icon';

/** Copies `text`; says "Copied" (announced) for a moment, or that copying failed. */
export function CopyButton({ text, label = t('copy.copy') }: { text: string; label?: string }) {
  const [state, setState] = useState<'idle' | 'copied' | 'failed'>('idle');
  useEffect(() => {
    if (state === 'idle') return;
    const timer = setTimeout(() => setState('idle'), 2000);
    return () => clearTimeout(timer);
  }, [state]);
  return (
    <span className="copy-button">
      <Button
        size="sm"
        onClick={() =>
          copyText(text).then(
            () => setState('copied'),
            () => setState('failed'),
          )
        }
      >
        <Icon name={state === 'copied' ? 'check' : 'copy'} />
        {label}
      </Button>
      <span role="status" className="copy-button__status">
        {state === 'copied' ? t('copy.copied') : state === 'failed' ? t('copy.failed') : ''}
      </span>
    </span>
  );
}
