import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { reauthenticate } from '../api/reauth';

/**
 * Asks for the password again before a sensitive action (the API answered STEP_UP_REQUIRED).
 * `onDone(true)` once the user proved who they are: the action is then sent again. `methods` are
 * those the API offered this user: a second factor, once the API offers one, gets its own field
 * here and its own member of the re-authentication request.
 */
export function ReauthDialog({ methods, onDone }: { methods: readonly string[]; onDone: (reauthenticated: boolean) => void }) {
  const [password, setPassword] = useState('');
  const [pending, setPending] = useState(false);
  const [error, setError] = useState<unknown>(null);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (!password) return;
    setPending(true);
    setError(null);
    try {
      await reauthenticate({ method: 'password', password });
      onDone(true);
    } catch (caught) {
      setError(caught);
      setPassword('');
      setPending(false);
    }
  };

  const wrongPassword = isApiError(error) && error.code === 'STEP_UP_FAILED';
  const byPassword = methods.includes('password');
  return (
    <Dialog
      size="sm"
      title={t('stepUp.title')}
      description={t('stepUp.description')}
      onClose={() => onDone(false)}
      footer={
        <>
          <Button onClick={() => onDone(false)}>{t('common.cancel')}</Button>
          <Button type="submit" form="reauth-form" variant="primary" pending={pending}>
            {t('stepUp.confirm')}
          </Button>
        </>
      }
    >
      <form id="reauth-form" onSubmit={(event) => void submit(event)} noValidate>
        {!byPassword && <FormAlert error={null} message={t('stepUp.noMethod')} />}
        <TextField
          disabled={!byPassword}
          label={t('stepUp.password')}
          type="password"
          name="password"
          autoComplete="current-password"
          data-autofocus
          value={password}
          onChange={(event) => setPassword(event.target.value)}
          error={wrongPassword ? t('stepUp.wrongPassword') : undefined}
          required
        />
        {error !== null && !wrongPassword && <FormAlert error={error} />}
      </form>
    </Dialog>
  );
}
