import type { PendingLogin, SessionResponse } from '@passman/contracts';
import { useState } from 'react';
import { Alert, LiveRegion } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { errorMessage } from '@/lib/error-message';
import { useSecondFactorLogin } from '../api/mfa';

/** The second step of a login: a code from the authenticator app, a passkey, or a recovery code. */
export function SecondFactorForm({
  challenge,
  intro,
  onSuccess,
  onStartOver,
}: {
  /** The password step's challenge; without `challenge`, single sign-on's (in a cookie). */
  challenge: PendingLogin & { challenge?: string };
  /** Replaces the usual intro (single sign-on says the provider's step is done). */
  intro?: string;
  onSuccess: (session: SessionResponse) => void;
  onStartOver: () => void;
}) {
  const hasTotp = challenge.methods.includes('totp');
  const [mode, setMode] = useState<'totp' | 'recovery-code'>(hasTotp ? 'totp' : 'recovery-code');
  const [value, setValue] = useState('');
  const verify = useSecondFactorLogin(challenge.challenge, onSuccess);
  const [attempt, setAttempt] = useState(0);

  const submit = () => {
    if (verify.isPending || !value.trim()) return;
    setAttempt((n) => n + 1);
    verify.mutate(mode === 'totp' ? { totpCode: value.trim() } : { recoveryCode: value.trim() }, { onError: () => setValue('') });
  };
  const expired = isApiError(verify.error) && verify.error.code === 'MFA_CHALLENGE_INVALID';
  const passkeyCancelled = verify.isError && !isApiError(verify.error);

  return (
    <form
      className="login-form"
      noValidate
      onSubmit={(event) => {
        event.preventDefault();
        submit();
      }}
    >
      <p>{intro ?? t('mfa.login.intro')}</p>
      {challenge.methods.includes('webauthn') && (
        <Button
          variant={hasTotp ? 'secondary' : 'primary'}
          pending={verify.isPending && verify.variables === 'passkey'}
          onClick={() => verify.mutate('passkey')}
        >
          {t('mfa.login.usePasskey')}
        </Button>
      )}
      <TextField
        key={mode}
        label={mode === 'totp' ? t('mfa.login.code') : t('mfa.login.recoveryCode')}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        autoComplete="one-time-code"
        inputMode={mode === 'totp' ? 'numeric' : 'text'}
        autoCapitalize="none"
        spellCheck={false}
        autoFocus
      />
      <Button type="submit" variant="primary" className="login-form__submit" pending={verify.isPending && verify.variables !== 'passkey'}>
        {verify.isPending ? t('mfa.login.verifying') : t('mfa.login.verify')}
      </Button>
      {hasTotp && (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            setMode(mode === 'totp' ? 'recovery-code' : 'totp');
            setValue('');
          }}
        >
          {mode === 'totp' ? t('mfa.login.useRecoveryCode') : t('mfa.login.useAuthenticator')}
        </Button>
      )}
      <Button variant="ghost" size="sm" onClick={onStartOver}>
        {t('mfa.login.startOver')}
      </Button>
      <LiveRegion role="alert" className="login-form__alert">
        {verify.isError && (
          <Alert key={attempt} action={expired ? <Button onClick={onStartOver}>{t('mfa.login.startOver')}</Button> : undefined}>
            {passkeyCancelled ? t('mfa.login.passkeyFailed') : errorMessage(verify.error)}
          </Alert>
        )}
      </LiveRegion>
    </form>
  );
}
