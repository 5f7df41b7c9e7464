import type { Account, Policy } from '@passman/contracts';
import { isTargetUsername, MAX_TARGET_USERNAME_LENGTH } from '@passman/contracts/limits';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { t } from '@/i18n';
import { useCreateAccount } from '../api/create-account';
import { useUpdateAccount } from '../api/update-account';
import type { TargetChoice } from './accounts-filters';

export interface AccountFormDialogProps {
  /** Edit this account; omitted: add one. */
  account?: Account | undefined;
  /** Adding from a target's window: the target is fixed. */
  target?: TargetChoice | undefined;
  targets?: readonly TargetChoice[] | undefined;
  policies: readonly Policy[] | undefined;
  onClose: () => void;
  onSaved?: (account: Account) => void;
}

/** Add an account to a target, or rename it, describe it, change its policy. */
export function AccountFormDialog({ account, target, targets = [], policies, onClose, onSaved }: AccountFormDialogProps) {
  const create = useCreateAccount();
  const update = useUpdateAccount();
  const mutation = account ? update : create;
  const [targetId, setTargetId] = useState(account?.targetId ?? target?.id ?? '');
  const [username, setUsername] = useState(account?.username ?? '');
  const [description, setDescription] = useState(account?.description ?? '');
  const [policyId, setPolicyId] = useState(account?.policyId ?? '');
  const [local, setLocal] = useState<Record<string, string>>({});
  const server = fieldErrors(mutation.error);
  const errors = { ...server, ...local };

  function submit(event: FormEvent): void {
    event.preventDefault();
    const problems: Record<string, string> = {};
    if (!account && !targetId) problems.targetId = t('accounts.form.targetRequired');
    if (!isTargetUsername(username)) problems.username = t('accounts.form.usernameInvalid', { max: MAX_TARGET_USERNAME_LENGTH });
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    const body = { username, description, policyId: policyId || null };
    const done = { onSuccess: (saved: Account) => (onSaved ? onSaved(saved) : onClose()) };
    if (account) update.mutate({ id: account.id, ...body }, done);
    else create.mutate({ targetId, ...body }, done);
  }

  const targetOptions = target ? [target] : targets;
  return (
    <Dialog
      title={account ? t('accounts.form.editTitle', { account: account.username }) : t('accounts.form.addTitle')}
      description={target ? t('accounts.form.onTarget', { target: target.name }) : undefined}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="account-form" variant="primary" pending={mutation.isPending}>
            {account ? t('common.save') : t('accounts.form.add')}
          </Button>
        </>
      }
    >
      <form id="account-form" className="form" onSubmit={submit} noValidate>
        {!account && !target && (
          <SelectField
            label={t('accounts.form.target')}
            value={targetId}
            error={errors.targetId}
            onChange={(e) => setTargetId(e.target.value)}
            options={[{ value: '', label: t('accounts.form.chooseTarget') }, ...targetOptions.map((x) => ({ value: x.id, label: x.name }))]}
          />
        )}
        <TextField
          label={t('accounts.form.username')}
          hint={t('accounts.form.usernameHint')}
          value={username}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          maxLength={32}
          error={errors.username}
          onChange={(e) => setUsername(e.target.value)}
        />
        <TextareaField label={t('accounts.form.description')} value={description} maxLength={1000} error={errors.description} onChange={(e) => setDescription(e.target.value)} />
        <SelectField
          label={t('accounts.form.policy')}
          value={policyId}
          error={errors.policyId}
          onChange={(e) => setPolicyId(e.target.value)}
          options={[{ value: '', label: t('accounts.form.defaultPolicy') }, ...(policies ?? []).map((p) => ({ value: p.id, label: p.name }))]}
        />
        {mutation.isError && <FormAlert error={mutation.error} shownFields={['targetId', 'username', 'description', 'policyId']} />}
      </form>
    </Dialog>
  );
}
