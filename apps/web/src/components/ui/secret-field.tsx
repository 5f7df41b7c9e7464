import { useState, type ReactNode, type Ref } from 'react';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';
import { Field } from './field';
import { IconButton } from './icon-button';

export interface SecretFieldProps {
  label: ReactNode;
  name?: string;
  value: string;
  onChange: (value: string) => void;
  hint?: ReactNode;
  error?: string | undefined;
  /** A private key spans lines: a textarea masked the same way. */
  multiline?: boolean;
  autoComplete?: string;
  ref?: Ref<HTMLInputElement & HTMLTextAreaElement>;
}

/**
 * A secret input with an eye button that shows what was typed (and hides it again). The
 * button says what it will do ("Show password"), and `aria-pressed` says whether it is shown.
 */
export function SecretField({ label, name, value, onChange, hint, error, multiline = false, autoComplete = 'new-password', ref }: SecretFieldProps) {
  const [shown, setShown] = useState(false);
  const toggle = (
    <IconButton
      icon={shown ? 'eye-off' : 'eye'}
      label={shown ? t('secret.hide') : t('secret.show')}
      aria-pressed={shown}
      size="sm"
      className="secret-field__toggle"
      onClick={() => setShown((s) => !s)}
    />
  );
  return (
    <Field label={label} hint={hint} error={error}>
      {({ id, describedBy, invalid }) => (
        <div className={cx('secret-field', multiline && 'secret-field--multiline')}>
          {multiline ? (
            <textarea
              ref={ref}
              id={id}
              name={name}
              rows={5}
              value={value}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => onChange(e.target.value)}
              className={cx('field__input field__textarea secret-field__input', !shown && 'is-masked')}
              aria-invalid={invalid}
              aria-describedby={describedBy}
            />
          ) : (
            <input
              ref={ref}
              id={id}
              name={name}
              type={shown ? 'text' : 'password'}
              value={value}
              spellCheck={false}
              autoComplete={autoComplete}
              autoCapitalize="none"
              onChange={(e) => onChange(e.target.value)}
              className="field__input secret-field__input"
              aria-invalid={invalid}
              aria-describedby={describedBy}
            />
          )}
          {toggle}
        </div>
      )}
    </Field>
  );
}
