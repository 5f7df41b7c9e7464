import type { TotpEnrolment } from '@passman/contracts';
import { useState } from 'react';
import { Button } from '@/components/ui/button';
import { CopyButton } from '@/components/ui/copy-button';
import { FormAlert } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { useConfirmTotp, useRegisterPasskey, useStartTotp } from '../api/mfa';
import { RecoveryCodesShown } from './recovery-codes';

/** Add an authenticator app (QR code and key, then its first code) or a passkey; recovery codes come with the first factor. */
export function AddFactor() {
  const start = useStartTotp();
  const confirm = useConfirmTotp();
  const passkey = useRegisterPasskey();
  const [enrolment, setEnrolment] = useState<TotpEnrolment | null>(null);
  const [code, setCode] = useState('');
  const [passkeyName, setPasskeyName] = useState('');
  const [codes, setCodes] = useState<string[] | null>(null);

  if (codes) return <RecoveryCodesShown codes={codes} onDone={() => setCodes(null)} />;

  if (enrolment) {
    return (
      <form
        className="totp-enrolment"
        onSubmit={(event) => {
          event.preventDefault();
          confirm.mutate(
            { factorId: enrolment.factorId, code: code.trim() },
            {
              onSuccess: (result) => {
                setEnrolment(null);
                setCode('');
                if (result.recoveryCodes) setCodes(result.recoveryCodes);
              },
            },
          );
        }}
      >
        <p>{t('mfa.totp.scan')}</p>
        <img src={enrolment.qrCodeDataUrl} alt={t('mfa.totp.qrAlt')} width={220} height={220} />
        <p>
          {t('mfa.totp.key')}:{' '}
          <code className="mono" data-testid="totp-key">
            {enrolment.secret}
          </code>{' '}
          <CopyButton text={enrolment.secret} />
        </p>
        <TextField
          label={t('mfa.totp.code')}
          value={code}
          onChange={(e) => setCode(e.target.value)}
          autoComplete="one-time-code"
          inputMode="numeric"
          autoFocus
        />
        <div className="form-actions">
          <Button type="submit" variant="primary" pending={confirm.isPending}>
            {t('mfa.totp.confirm')}
          </Button>
          <Button variant="ghost" onClick={() => setEnrolment(null)}>
            {t('mfa.security.cancel')}
          </Button>
        </div>
        {confirm.isError && <FormAlert error={confirm.error} />}
      </form>
    );
  }

  return (
    <div className="add-factor">
      <Button variant="primary" pending={start.isPending} onClick={() => start.mutate(undefined, { onSuccess: setEnrolment })}>
        {t('mfa.totp.add')}
      </Button>
      {start.isError && <FormAlert error={start.error} />}
      <form
        className="add-factor__passkey"
        onSubmit={(event) => {
          event.preventDefault();
          passkey.mutate(passkeyName.trim() || t('mfa.passkey.defaultName'), {
            onSuccess: (result) => {
              setPasskeyName('');
              if (result.recoveryCodes) setCodes(result.recoveryCodes);
            },
          });
        }}
      >
        <TextField label={t('mfa.passkey.name')} value={passkeyName} onChange={(e) => setPasskeyName(e.target.value)} maxLength={100} />
        <Button type="submit" pending={passkey.isPending}>
          {t('mfa.passkey.add')}
        </Button>
        {passkey.isError && (isApiError(passkey.error) ? <FormAlert error={passkey.error} /> : <FormAlert error={null} message={t('mfa.passkey.failed')} />)}
      </form>
    </div>
  );
}
