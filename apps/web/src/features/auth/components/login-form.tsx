import { useRef, useState, type FormEvent } from 'react';
import { Alert, LiveRegion } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { errorMessage, errorRequestId } from '@/lib/error-message';
import { useLogin } from '../api/login';
import type { SessionResponse as AuthSession } from '@passman/contracts';

type Field = 'username' | 'password';
type FieldErrors = Partial<Record<Field, string>>;

function validate(username: string, password: string): FieldErrors {
  const errors: FieldErrors = {};
  if (!username.trim()) errors.username = t('auth.login.usernameRequired');
  if (!password) errors.password = t('auth.login.passwordRequired');
  return errors;
}

export interface LoginFormProps {
  onSuccess: (session: AuthSession) => void;
  /** A note above the form, e.g. that the session has ended. */
  notice?: string | undefined;
}

export function LoginForm({ onSuccess, notice }: LoginFormProps) {
  const login = useLogin({ onSuccess });
  const [fieldErrors, setFieldErrors] = useState<FieldErrors>({});
  // Remounts the message on each failure so an identical error is announced again.
  const [attempt, setAttempt] = useState(0);
  const usernameRef = useRef<HTMLInputElement>(null);
  const passwordRef = useRef<HTMLInputElement>(null);

  function handleSubmit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (login.isPending) return;
    const data = new FormData(event.currentTarget);
    const username = String(data.get('username') ?? '');
    const password = String(data.get('password') ?? '');
    const errors = validate(username, password);
    setFieldErrors(errors);
    if (errors.username || errors.password) {
      login.reset();
      (errors.username ? usernameRef : passwordRef).current?.focus();
      return;
    }
    setAttempt((n) => n + 1);
    login.mutate(
      { username: username.trim(), password },
      {
        onError: (error) => {
          if (isApiError(error) && error.errors.length > 0) {
            const fromApi: FieldErrors = {};
            for (const issue of error.errors) {
              if (issue.path === 'username' || issue.path === 'password') {
                fromApi[issue.path] ??= issue.message;
              }
            }
            setFieldErrors(fromApi);
          }
          if (isApiError(error) && error.code === 'INVALID_CREDENTIALS') {
            const input = passwordRef.current;
            if (input) {
              input.value = '';
              input.focus();
            }
          }
        },
      },
    );
  }

  const requestId = login.isError ? errorRequestId(login.error) : undefined;
  const showRequestId =
    requestId !== undefined &&
    !(isApiError(login.error) && ['INVALID_CREDENTIALS', 'RATE_LIMITED'].includes(login.error.code));

  return (
    <form className="login-form" onSubmit={handleSubmit} noValidate>
      {notice && (
        <LiveRegion role="status" className="login-form__notice">
          <Alert tone="info">{notice}</Alert>
        </LiveRegion>
      )}
      <TextField
        ref={usernameRef}
        label={t('auth.login.username')}
        name="username"
        autoComplete="username"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        autoFocus
        required
        error={fieldErrors.username}
      />
      <TextField
        ref={passwordRef}
        label={t('auth.login.password')}
        name="password"
        type="password"
        autoComplete="current-password"
        required
        error={fieldErrors.password}
      />
      <Button type="submit" variant="primary" className="login-form__submit" pending={login.isPending}>
        {login.isPending ? t('auth.login.submitting') : t('auth.login.submit')}
      </Button>
      {/* Under the button, where the eye is after submitting; nothing above it moves. */}
      <LiveRegion role="alert" className="login-form__alert">
        {login.isError && (
          <Alert key={attempt} meta={showRequestId ? t('errors.requestId', { id: requestId }) : undefined}>
            {errorMessage(login.error)}
          </Alert>
        )}
      </LiveRegion>
    </form>
  );
}
