import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { reauthenticate, reauthenticateWithPasskey } from '../api/reauth';

type TypedMethod = 'password' | 'totp' | 'recovery-code';

const LABELS: Record<TypedMethod, () => string> = {
  password: () => t('stepUp.password'),
  totp: () => t('stepUp.totpCode'),
  'recovery-code': () => t('stepUp.recoveryCode'),
};
const SWITCH_TO: Record<TypedMethod, () => string> = {
  password: () => t('stepUp.usePassword'),
  totp: () => t('stepUp.useTotp'),
  'recovery-code': () => t('stepUp.useRecoveryCode'),
};

/**
 * Asks the user to prove who they are again before a sensitive action (the API answered
 * STEP_UP_REQUIRED): with the password, a code from the authenticator app, a recovery code or a
 * passkey, whichever `methods` the API offered (creating an API token offers only the second
 * factors of a user who has one). `onDone(true)` once proven: the action is then sent again.
 */
export function ReauthDialog({ methods, onDone }: { methods: readonly string[]; onDone: (reauthenticated: boolean) => void }) {
  const typed = (['password', 'totp', 'recovery-code'] as const).filter((m) => methods.includes(m));
  const byPasskey = methods.includes('webauthn');
  const [mode, setMode] = useState<TypedMethod | undefined>(typed[0]);
  const [value, setValue] = useState('');
  const [pending, setPending] = useState<'typed' | 'passkey' | null>(null);
  const [error, setError] = useState<unknown>(null);
  const [failed, setFailed] = useState<'typed' | 'passkey' | null>(null);

  const attempt = async (kind: 'typed' | 'passkey', run: () => Promise<unknown>) => {
    setPending(kind);
    setError(null);
    try {
      await run();
      onDone(true);
    } catch (caught) {
      setError(caught);
      setFailed(kind);
      setValue('');
      setPending(null);
    }
  };

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const entered = mode === 'password' ? value : value.trim();
    if (!mode || !entered || pending) return;
    await attempt('typed', () =>
      reauthenticate(
        mode === 'password'
          ? { method: 'password', password: entered }
          : { method: 'second-factor', proof: mode === 'totp' ? { totpCode: entered } : { recoveryCode: entered } },
      ),
    );
  };

  const refused = failed === 'typed' && isApiError(error) && error.code === 'STEP_UP_FAILED';
  // The browser's dialog closed without a passkey, or the API did not accept its signature.
  const passkeyFailed = failed === 'passkey' && (!isApiError(error) || error.code === 'STEP_UP_FAILED');
  const description = !methods.includes('password')
    ? t('stepUp.descriptionSecondFactor')
    : typed.length > 1 || byPasskey
      ? t('stepUp.descriptionAny')
      : t('stepUp.description');
  return (
    <Dialog
      size="sm"
      title={t('stepUp.title')}
      description={description}
      onClose={() => onDone(false)}
      footer={
        <>
          <Button onClick={() => onDone(false)}>{t('common.cancel')}</Button>
          <Button type="submit" form="reauth-form" variant="primary" pending={pending === 'typed'} disabled={!mode}>
            {t('stepUp.confirm')}
          </Button>
        </>
      }
    >
      <form id="reauth-form" onSubmit={(event) => void submit(event)} noValidate>
        {!mode && !byPasskey && <FormAlert error={null} message={t('stepUp.noMethod')} />}
        {byPasskey && (
          <Button variant={mode ? 'secondary' : 'primary'} pending={pending === 'passkey'} onClick={() => void attempt('passkey', reauthenticateWithPasskey)}>
            {t('stepUp.usePasskey')}
          </Button>
        )}
        {mode && (
          <TextField
            key={mode}
            label={LABELS[mode]()}
            type={mode === 'password' ? 'password' : 'text'}
            name={mode === 'password' ? 'password' : 'code'}
            autoComplete={mode === 'password' ? 'current-password' : 'one-time-code'}
            inputMode={mode === 'totp' ? 'numeric' : undefined}
            autoCapitalize="none"
            spellCheck={false}
            data-autofocus
            value={value}
            onChange={(event) => setValue(event.target.value)}
            error={refused ? (mode === 'password' ? t('stepUp.wrongPassword') : t('stepUp.wrongCode')) : undefined}
            required
          />
        )}
        {typed
          .filter((other) => other !== mode)
          .map((other) => (
            <Button
              key={other}
              variant="ghost"
              size="sm"
              onClick={() => {
                setMode(other);
                setValue('');
                setError(null);
              }}
            >
              {SWITCH_TO[other]()}
            </Button>
          ))}
        {passkeyFailed && <FormAlert error={null} message={t('stepUp.passkeyFailed')} />}
        {error !== null && !refused && !passkeyFailed && <FormAlert error={error} />}
      </form>
    </Dialog>
  );
}
