import { zodResolver } from '@hookform/resolvers/zod';
import { ResetRequestSchema, z, type Account, type Credential, type CredentialType, type SshKeyType } from '@passman/contracts';
import { DEFAULT_SSH_KEY_TYPE } from '@passman/contracts/limits';
import { useState, type FormEvent } from 'react';
import { useForm, useWatch } from 'react-hook-form';
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
  return keys.find((k) => k.sshKeyType === DEFAULT_SSH_KEY_TYPE) ?? keys[0];
}

/**
 * The fields of the Reset Credentials window: the SSH key (when the
 * account has several), Credential type, New password with its eye, Change on target (checked).
 * `mode` says which button submitted: Save (the typed secret) or Generate and Save.
 */
/** The fields as typed, turned into the reset request and checked with its schema (which button was pressed decides typed or generated). */
const ResetFormSchema = z
  .object({ credentialType: z.string(), mode: z.enum(['typed', 'generate']), newSecret: z.string(), changeOnTarget: z.boolean() })
  .transform((v): z.input<typeof ResetRequestSchema> => ({
    credentialType: v.credentialType as CredentialType,
    changeOnTarget: v.changeOnTarget,
    ...(v.mode === 'generate' ? { generate: true } : v.newSecret ? { newSecret: v.newSecret } : {}),
  }))
  .pipe(ResetRequestSchema);

export function ResetForm({
  account,
  credentials,
  onSubmit,
}: {
  account: Account;
  credentials: readonly Credential[];
  onSubmit: (choice: ResetChoice) => void;
}) {
  const types = [...new Set(credentials.map((c) => c.type))];
  const keys = credentials.filter((c) => c.type === 'SSH_KEY');
  const [keyId, setKeyId] = useState(defaultKey(keys)?.id ?? '');
  const form = useForm({
    resolver: zodResolver(ResetFormSchema),
    defaultValues: {
      credentialType: types.includes('PASSWORD') ? 'PASSWORD' : (types[0] ?? 'PASSWORD'),
      mode: 'typed' as 'typed' | 'generate',
      newSecret: '',
      changeOnTarget: true,
    },
  });
  const [type, secret, changeOnTarget] = useWatch({ control: form.control, name: ['credentialType', 'newSecret', 'changeOnTarget'] }) as [
    CredentialType,
    string,
    boolean,
  ];
  // The request's "newSecret or generate" rule reports on `generate`, a field the form does not show.
  const errors = form.formState.errors as typeof form.formState.errors & { generate?: unknown };
  // The schema's word for what is wrong, said the console's way.
  const secretError =
    errors.newSecret || errors.generate ? (secret ? (typedSecretError(type, secret) ?? errors.newSecret?.message) : t('reset.secretRequired')) : undefined;

  const credential = type === 'SSH_KEY' ? keys.find((k) => k.id === keyId) : credentials.find((c) => c.type === type);
  const losesSync = !changeOnTarget && account.status === 'InSync';

  function submit(event: FormEvent<HTMLFormElement>): void {
    const submitter = (event.nativeEvent as SubmitEvent).submitter;
    form.setValue('mode', submitter instanceof HTMLButtonElement && submitter.value === 'generate' ? 'generate' : 'typed');
    void form.handleSubmit((request) => {
      if (!credential) return;
      onSubmit({
        credentialType: request.credentialType,
        sshKeyType: request.credentialType === 'SSH_KEY' ? (credential.sshKeyType ?? undefined) : undefined,
        credentialId: credential.id,
        changeOnTarget: request.changeOnTarget,
        newSecret: request.newSecret,
      });
    })(event);
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
          options={keys.map((k) => ({
            value: k.id,
            label: k.sshKeyType === DEFAULT_SSH_KEY_TYPE ? t('reset.defaultKey', { keyType: DEFAULT_SSH_KEY_TYPE }) : (k.sshKeyType ?? ''),
          }))}
        />
      )}
      <SelectField
        label={t('credentials.credentialType')}
        value={type}
        onChange={(e) => {
          form.setValue('credentialType', e.target.value);
          form.setValue('newSecret', '');
          form.clearErrors();
        }}
        options={types.map((x) => ({ value: x, label: credentialTypeLabel(x) }))}
      />
      <SecretField
        label={secretLabel}
        value={secret}
        onChange={(value) => form.setValue('newSecret', value, { shouldValidate: form.formState.isSubmitted })}
        multiline={type === 'SSH_KEY'}
        error={secretError}
        hint={t('reset.secretHint')}
      />
      <CheckboxField label={t('reset.changeOnTarget')} hint={t('reset.changeOnTargetHint')} {...form.register('changeOnTarget')} />
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
