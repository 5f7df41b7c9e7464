import type { ComponentProps, ReactNode, Ref } from 'react';
import { Field } from './field';

export interface TextFieldProps extends Omit<ComponentProps<'input'>, 'id'> {
  label: ReactNode;
  /** Shown under the field and tied to it with aria-describedby; sets aria-invalid. */
  error?: string | undefined;
  hint?: ReactNode;
  ref?: Ref<HTMLInputElement>;
}

export function TextField({ label, error, hint, className, ...inputProps }: TextFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => <input {...inputProps} id={id} className="field__input" aria-invalid={invalid} aria-describedby={describedBy} />}
    </Field>
  );
}
