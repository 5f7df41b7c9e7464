import { useId, type ReactNode } from 'react';
import { cx } from '@/lib/cx';

export interface FieldIds {
  id: string;
  describedBy: string | undefined;
  invalid: true | undefined;
}

export interface FieldProps {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string;
  /** Renders the control with the ids that tie it to its label, hint and error. */
  children: (ids: FieldIds) => ReactNode;
  /** Something beside the label, e.g. a "Generate" link. */
  aside?: ReactNode;
}

/**
 * The frame every form control uses: label, optional hint, the control, and an error line
 * that is always in the DOM (hidden when empty) so showing it never moves what follows
 * more than its own line.
 */
export function Field({ label, hint, error, className, children, aside }: FieldProps) {
  const id = useId();
  const hintId = `${id}-hint`;
  const errorId = `${id}-error`;
  const describedBy = [hint && hintId, error && errorId].filter(Boolean).join(' ') || undefined;
  return (
    <div className={cx('field', className)}>
      <div className="field__top">
        <label className="field__label" htmlFor={id}>
          {label}
        </label>
        {aside}
      </div>
      {hint && (
        <p className="field__hint" id={hintId}>
          {hint}
        </p>
      )}
      {children({ id, describedBy, invalid: error ? true : undefined })}
      <p className="field__error" id={errorId} hidden={!error}>
        {error}
      </p>
    </div>
  );
}
