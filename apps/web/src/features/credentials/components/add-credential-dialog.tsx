import type { Account, CreateCredentialRequest, CredentialType, SshKeyType } from '@passman/contracts';
import { DEFAULT_SSH_KEY_TYPE, isWeakSshKey, SSH_KEY_BITS } from '@passman/contracts/limits';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { SecretField } from '@/components/ui/secret-field';
import { SelectField } from '@/components/ui/select-field';
import { t } from '@/i18n';
import { useCreateCredential } from '../api/create-credential';
import { CREDENTIAL_TYPES, SSH_KEY_TYPES, credentialTypeLabel } from '../labels';
import { typedSecretError } from '../secret-issue';

type Source = 'generate' | 'typed';

/** Add a secret slot to an account: typed (or a pasted private key), or generated from the policy. */
export function AddCredentialDialog({ account, onClose }: { account: Account; onClose: () => void }) {
  const create = useCreateCredential();
  const [type, setType] = useState<CredentialType>('PASSWORD');
  const [sshKeyType, setSshKeyType] = useState<SshKeyType>(DEFAULT_SSH_KEY_TYPE);
  const [source, setSource] = useState<Source>('typed');
  const [value, setValue] = useState('');
  const [localError, setLocalError] = useState<string | undefined>();
  const errors = fieldErrors(create.error);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (source === 'typed' && !value) {
      setLocalError(type === 'SSH_KEY' ? t('credentials.add.keyRequired') : t('credentials.add.valueRequired'));
      return;
    }
    const issue = source === 'typed' ? typedSecretError(type, value) : undefined;
    if (issue) {
      setLocalError(issue);
      return;
    }
    setLocalError(undefined);
    const body: CreateCredentialRequest = { type };
    if (type === 'SSH_KEY') body.sshKeyType = sshKeyType;
    if (source === 'generate') body.generate = true;
    else if (type === 'SSH_KEY') body.privateKey = value;
    else body.value = value;
    create.mutate({ accountId: account.id, ...body }, { onSuccess: onClose });
  }

  const valueLabel = type === 'SSH_KEY' ? t('credentials.add.privateKey') : type === 'PIN' ? t('credentials.add.pin') : t('credentials.add.password');
  return (
    <Dialog
      title={t('credentials.add.title', { account: account.username })}
      description={t('accounts.form.onTarget', { target: account.target.name })}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="credential-form" variant="primary" pending={create.isPending}>
            {t('credentials.add.submit')}
          </Button>
        </>
      }
    >
      <form id="credential-form" className="form" onSubmit={submit} noValidate>
        <SelectField
          label={t('credentials.credentialType')}
          value={type}
          onChange={(e) => setType(e.target.value as CredentialType)}
          options={CREDENTIAL_TYPES.map((x) => ({ value: x, label: credentialTypeLabel(x) }))}
        />
        {type === 'SSH_KEY' && (
          <SelectField
            label={t('credentials.sshKeyType')}
            value={sshKeyType}
            error={errors.sshKeyType}
            onChange={(e) => setSshKeyType(e.target.value as SshKeyType)}
            options={SSH_KEY_TYPES.map((x) => ({
              value: x,
              label: isWeakSshKey(x, SSH_KEY_BITS[x][0] ?? 0) ? t('credentials.weakKeyType', { keyType: x }) : x,
            }))}
          />
        )}
        <SelectField
          label={t('credentials.add.source')}
          value={source}
          onChange={(e) => setSource(e.target.value as Source)}
          options={[
            { value: 'typed', label: type === 'SSH_KEY' ? t('credentials.add.sourceImport') : t('credentials.add.sourceTyped') },
            { value: 'generate', label: t('credentials.add.sourceGenerate') },
          ]}
        />
        {source === 'typed' && (
          <SecretField
            label={valueLabel}
            value={value}
            multiline={type === 'SSH_KEY'}
            error={localError ?? errors.value ?? errors.privateKey}
            onChange={setValue}
          />
        )}
        {create.isError && <FormAlert error={create.error} shownFields={['value', 'privateKey', 'sshKeyType']} />}
      </form>
    </Dialog>
  );
}
