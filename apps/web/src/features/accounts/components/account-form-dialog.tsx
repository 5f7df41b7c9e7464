import { zodResolver } from '@hookform/resolvers/zod';
import { CreateAccountRequestSchema, z, type Account, type Policy } from '@passman/contracts';
import { MAX_TARGET_USERNAME_LENGTH } from '@passman/contracts/limits';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { t } from '@/i18n';
import { fieldMessages } from '@/lib/form-errors';
import { useCreateAccount } from '../api/create-account';
import { useUpdateAccount } from '../api/update-account';
import type { TargetChoice } from './accounts-filters';

const AccountFormSchema = CreateAccountRequestSchema.extend({
  policyId: CreateAccountRequestSchema.shape.policyId
    .unwrap()
    .unwrap()
    .or(z.literal('').transform(() => null)),
});

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
  // The contract's schema checks the form; the select's "default policy" is the empty value.
  const form = useForm({
    resolver: zodResolver(AccountFormSchema),
    defaultValues: {
      targetId: account?.targetId ?? target?.id ?? '',
      username: account?.username ?? '',
      description: account?.description ?? '',
      policyId: account?.policyId ?? '',
    },
  });
  const errors = fieldMessages(form.formState.errors, fieldErrors(mutation.error), {
    targetId: t('accounts.form.targetRequired'),
    username: t('accounts.form.usernameInvalid', { max: MAX_TARGET_USERNAME_LENGTH }),
  });

  const submit = form.handleSubmit(({ targetId, ...body }) => {
    const done = { onSuccess: (saved: Account) => (onSaved ? onSaved(saved) : onClose()) };
    if (account) update.mutate({ id: account.id, ...body }, done);
    else create.mutate({ targetId, ...body }, done);
  });

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
      <form id="account-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
        {!account && !target && (
          <SelectField
            label={t('accounts.form.target')}
            {...form.register('targetId')}
            error={errors.targetId}
            options={[{ value: '', label: t('accounts.form.chooseTarget') }, ...targetOptions.map((x) => ({ value: x.id, label: x.name }))]}
          />
        )}
        <TextField
          label={t('accounts.form.username')}
          hint={t('accounts.form.usernameHint')}
          {...form.register('username')}
          data-autofocus
          autoComplete="off"
          spellCheck={false}
          maxLength={32}
          error={errors.username}
        />
        <TextareaField label={t('accounts.form.description')} {...form.register('description')} maxLength={1000} error={errors.description} />
        <SelectField
          label={t('accounts.form.policy')}
          {...form.register('policyId')}
          error={errors.policyId}
          options={[{ value: '', label: t('accounts.form.defaultPolicy') }, ...(policies ?? []).map((p) => ({ value: p.id, label: p.name }))]}
        />
        {mutation.isError && <FormAlert error={mutation.error} shownFields={['targetId', 'username', 'description', 'policyId']} />}
      </form>
    </Dialog>
  );
}
