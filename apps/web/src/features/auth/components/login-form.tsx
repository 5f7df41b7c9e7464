import { zodResolver } from '@hookform/resolvers/zod';
import { LoginRequestSchema, type MfaLoginChallenge, type SessionResponse as AuthSession } from '@passman/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Alert, LiveRegion } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { errorMessage, errorRequestId } from '@/lib/error-message';
import { SecondFactorForm } from '@/features/mfa/components/second-factor-form';
import { useLogin } from '../api/login';

type Field = 'username' | 'password';

export interface LoginFormProps {
  onSuccess: (session: AuthSession) => void;
  /** A note above the form, e.g. that the session has ended. */
  notice?: string | undefined;
}

/** Checked with the login request's schema; a field left empty is named in the catalogue's words. */
export function LoginForm({ onSuccess, notice }: LoginFormProps) {
  // A user with a second factor gets a challenge instead of a session: the second step follows.
  const [challenge, setChallenge] = useState<MfaLoginChallenge | null>(null);
  const login = useLogin({ onSuccess: (result) => ('user' in result ? onSuccess(result) : setChallenge(result)) });
  const form = useForm({ resolver: zodResolver(LoginRequestSchema), defaultValues: { username: '', password: '' } });
  // Remounts the message on each failure so an identical error is announced again.
  const [attempt, setAttempt] = useState(0);
  const { errors } = form.formState;
  const fieldErrors: Partial<Record<Field, string>> = {
    username: errors.username && (errors.username.type === 'server' ? errors.username.message : t('auth.login.usernameRequired')),
    password: errors.password && (errors.password.type === 'server' ? errors.password.message : t('auth.login.passwordRequired')),
  };

  const handleSubmit = form.handleSubmit(
    (credentials) => {
      if (login.isPending) return;
      setAttempt((n) => n + 1);
      login.mutate(credentials, {
        onError: (error) => {
          if (isApiError(error)) {
            for (const issue of error.errors) {
              if (issue.path === 'username' || issue.path === 'password') form.setError(issue.path, { type: 'server', message: issue.message });
            }
          }
          if (isApiError(error) && error.code === 'INVALID_CREDENTIALS') {
            form.setValue('password', '');
            form.setFocus('password');
          }
        },
      });
    },
    () => login.reset(),
  );

  const requestId = login.isError ? errorRequestId(login.error) : undefined;
  const showRequestId = requestId !== undefined && !(isApiError(login.error) && ['INVALID_CREDENTIALS', 'RATE_LIMITED'].includes(login.error.code));

  if (challenge) {
    return (
      <SecondFactorForm
        challenge={challenge}
        onSuccess={onSuccess}
        onStartOver={() => {
          setChallenge(null);
          form.reset();
        }}
      />
    );
  }

  return (
    <form className="login-form" onSubmit={(event) => void handleSubmit(event)} noValidate>
      {notice && (
        <LiveRegion role="status" className="login-form__notice">
          <Alert tone="info">{notice}</Alert>
        </LiveRegion>
      )}
      <TextField
        {...form.register('username')}
        label={t('auth.login.username')}
        autoComplete="username"
        autoCapitalize="none"
        autoCorrect="off"
        spellCheck={false}
        autoFocus
        required
        error={fieldErrors.username}
      />
      <TextField
        {...form.register('password')}
        label={t('auth.login.password')}
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
