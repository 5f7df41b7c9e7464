import { useId, type ComponentProps, type ReactNode } from 'react';
import { cx } from '@/lib/cx';

export interface CheckboxFieldProps extends Omit<ComponentProps<'input'>, 'id' | 'type'> {
  label: ReactNode;
  hint?: ReactNode;
}

/** A checkbox with its label on the right and an optional hint under it. */
export function CheckboxField({ label, hint, className, ...inputProps }: CheckboxFieldProps) {
  const id = useId();
  return (
    <div className={cx('checkbox', className)}>
      <input {...inputProps} id={id} type="checkbox" className="checkbox__input" aria-describedby={hint ? `${id}-hint` : undefined} />
      <div>
        <label htmlFor={id} className="checkbox__label">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="field__hint">
            {hint}
          </p>
        )}
      </div>
    </div>
  );
}
