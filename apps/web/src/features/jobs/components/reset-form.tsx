import type { Account, Credential, CredentialType, SshKeyType } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { SecretField } from '@/components/ui/secret-field';
import { SelectField } from '@/components/ui/select-field';
import { credentialTypeLabel } from '@/features/credentials/labels';
import { typedSecretError } from '@/features/credentials/secret-issue';
import { t } from '@/i18n';

export interface ResetChoice {
  credentialType: CredentialType;
  sshKeyType?: SshKeyType | undefined;
  credentialId: string;
  changeOnTarget: boolean;
  /** Undefined: Generate and Save. */
  newSecret?: string | undefined;
}

export const RESET_FORM_ID = 'reset-form';

function defaultKey(keys: readonly Credential[]): Credential | undefined {
  return keys.find((k) => k.sshKeyType === 'ssh-rsa') ?? keys[0];
}

/**
 * The fields of the Reset Credentials window, as the manual has them: the SSH key (when the
 * account has several), Credential type, New password with its eye, Change on target (checked).
 * `mode` says which button submitted: Save (the typed secret) or Generate and Save.
 */
export function ResetForm({ account, credentials, onSubmit }: { account: Account; credentials: readonly Credential[]; onSubmit: (choice: ResetChoice) => void }) {
  const types = [...new Set(credentials.map((c) => c.type))];
  const [type, setType] = useState<CredentialType>(types.includes('PASSWORD') ? 'PASSWORD' : (types[0] ?? 'PASSWORD'));
  const keys = credentials.filter((c) => c.type === 'SSH_KEY');
  const [keyId, setKeyId] = useState(defaultKey(keys)?.id ?? '');
  const [secret, setSecret] = useState('');
  const [changeOnTarget, setChangeOnTarget] = useState(true);
  const [secretError, setSecretError] = useState<string | undefined>();

  const credential = type === 'SSH_KEY' ? keys.find((k) => k.id === keyId) : credentials.find((c) => c.type === type);
  const losesSync = !changeOnTarget && account.status === 'InSync';

  function submit(event: FormEvent<HTMLFormElement>): void {
    event.preventDefault();
    if (!credential) return;
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    const generate = submitter instanceof HTMLButtonElement && submitter.value === 'generate';
    if (!generate && !secret) {
      setSecretError(t('reset.secretRequired'));
      return;
    }
    const issue = generate ? undefined : typedSecretError(type, secret);
    if (issue) {
      setSecretError(issue);
      return;
    }
    setSecretError(undefined);
    onSubmit({
      credentialType: type,
      sshKeyType: type === 'SSH_KEY' ? (credential.sshKeyType ?? undefined) : undefined,
      credentialId: credential.id,
      changeOnTarget,
      newSecret: generate ? undefined : secret,
    });
  }

  const secretLabel = type === 'SSH_KEY' ? t('reset.newPrivateKey') : type === 'PIN' ? t('reset.newPin') : t('reset.newPassword');
  return (
    <form id={RESET_FORM_ID} className="form" onSubmit={submit} noValidate>
      {type === 'SSH_KEY' && keys.length > 1 && (
        <SelectField
          label={t('reset.sshKey')}
          hint={t('reset.sshKeyHint')}
          value={keyId}
          onChange={(e) => setKeyId(e.target.value)}
          options={keys.map((k) => ({ value: k.id, label: k.sshKeyType === 'ssh-rsa' ? t('reset.defaultKey', { keyType: 'ssh-rsa' }) : (k.sshKeyType ?? '') }))}
        />
      )}
      <SelectField
        label={t('credentials.credentialType')}
        value={type}
        onChange={(e) => {
          setType(e.target.value as CredentialType);
          setSecret('');
          setSecretError(undefined);
        }}
        options={types.map((x) => ({ value: x, label: credentialTypeLabel(x) }))}
      />
      <SecretField label={secretLabel} value={secret} onChange={setSecret} multiline={type === 'SSH_KEY'} error={secretError} hint={t('reset.secretHint')} />
      <CheckboxField
        label={t('reset.changeOnTarget')}
        hint={t('reset.changeOnTargetHint')}
        checked={changeOnTarget}
        onChange={(e) => setChangeOnTarget(e.target.checked)}
      />
      <div aria-live="polite" className="form__notes">
        {losesSync && (
          <Alert tone="warning">
            <strong>{t('reset.attention')}</strong> {t('reset.loseInSyncWarning', { account: account.username })}
          </Alert>
        )}
        {type === 'PIN' && changeOnTarget && <Alert tone="info">{t('reset.pinOnTargetNote')}</Alert>}
        {type === 'SSH_KEY' && changeOnTarget && <Alert tone="info">{t('reset.sshDirNote')}</Alert>}
      </div>
    </form>
  );
}
