import type { CreatePolicyRequest, Policy } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { useCreatePolicy } from '../api/create-policy';
import { useUpdatePolicy } from '../api/update-policy';
import { PolicyFields } from './policy-fields';

export type PolicyDraft = Omit<CreatePolicyRequest, never>;

export const policyDefaults: PolicyDraft = {
  name: '',
  description: '',
  isDefault: false,
  passwordLength: 20,
  useLowercase: true,
  useUppercase: true,
  useDigits: true,
  useSymbols: true,
  minLowercase: 1,
  minUppercase: 1,
  minDigits: 1,
  minSymbols: 1,
  excludedChars: '',
  avoidAmbiguous: false,
  pinLength: 6,
  sshKeyType: 'ssh-rsa',
  sshKeyBits: null,
  rotationIntervalDays: null,
  checkoutExclusive: false,
  checkoutMaxMinutes: null,
  resetAfterCheckin: false,
};

function draftOf(policy: Policy | undefined): PolicyDraft {
  if (!policy) return policyDefaults;
  const { id: _id, accountCount: _count, createdAt: _created, updatedAt: _updated, ...draft } = policy;
  return draft;
}

/** Create or change a policy; the API checks the rules across fields and says which field is wrong. */
export function PolicyFormDialog({ policy, onClose }: { policy?: Policy | undefined; onClose: () => void }) {
  const create = useCreatePolicy();
  const update = useUpdatePolicy();
  const mutation = policy ? update : create;
  const [draft, setDraft] = useState<PolicyDraft>(() => draftOf(policy));
  const [nameError, setNameError] = useState<string | undefined>();
  const errors = fieldErrors(mutation.error);

  function submit(event: FormEvent): void {
    event.preventDefault();
    if (!draft.name.trim()) {
      setNameError(t('policies.form.nameRequired'));
      return;
    }
    setNameError(undefined);
    const body = { ...draft, name: draft.name.trim() };
    if (policy) update.mutate({ id: policy.id, ...body }, { onSuccess: onClose });
    else create.mutate(body, { onSuccess: onClose });
  }

  return (
    <Dialog
      size="lg"
      title={policy ? t('policies.form.editTitle', { name: policy.name }) : t('policies.form.addTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="policy-form" variant="primary" pending={mutation.isPending}>
            {policy ? t('common.save') : t('policies.form.create')}
          </Button>
        </>
      }
    >
      <form id="policy-form" className="form" onSubmit={submit} noValidate>
        <PolicyFields draft={draft} onChange={(changes) => setDraft((d) => ({ ...d, ...changes }))} errors={{ ...errors, ...(nameError ? { name: nameError } : {}) }} />
        {mutation.isError && <FormAlert error={mutation.error} shownFields={Object.keys(policyDefaults)} />}
      </form>
    </Dialog>
  );
}
