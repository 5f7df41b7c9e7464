import type { ComponentProps, ReactNode, Ref } from 'react';
import { Field } from './field';

export interface TextareaFieldProps extends Omit<ComponentProps<'textarea'>, 'id'> {
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  ref?: Ref<HTMLTextAreaElement>;
}

export function TextareaField({ label, hint, error, className, rows = 3, ...rest }: TextareaFieldProps) {
  return (
    <Field label={label} hint={hint} error={error} className={className}>
      {({ id, describedBy, invalid }) => (
        <textarea {...rest} id={id} rows={rows} className="field__input field__textarea" aria-invalid={invalid} aria-describedby={describedBy} />
      )}
    </Field>
  );
}
