import { zodResolver } from '@hookform/resolvers/zod';
import { CreatePolicyRequestSchema, type Policy } from '@passman/contracts';
import { useForm, useWatch } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { t } from '@/i18n';
import { fieldMessages } from '@/lib/form-errors';
import { useCreatePolicy } from '../api/create-policy';
import { useUpdatePolicy } from '../api/update-policy';
import { draftOf, policyDefaults, type PolicyDraft } from '../policy-draft';
import { PolicyFields } from './policy-fields';

/** Create or change a policy: checked with the contract's schema (rules across fields too), then by the API. */
export function PolicyFormDialog({ policy, onClose }: { policy?: Policy | undefined; onClose: () => void }) {
  const create = useCreatePolicy();
  const update = useUpdatePolicy();
  const mutation = policy ? update : create;
  const form = useForm({ resolver: zodResolver(CreatePolicyRequestSchema), defaultValues: draftOf(policy) });
  const draft = useWatch({ control: form.control }) as PolicyDraft;
  const errors = fieldMessages(form.formState.errors, fieldErrors(mutation.error), { name: t('policies.form.nameRequired') });

  const submit = form.handleSubmit((body) => {
    if (policy) update.mutate({ id: policy.id, ...body }, { onSuccess: onClose });
    else create.mutate(body, { onSuccess: onClose });
  });

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
      <form id="policy-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
        <PolicyFields
          draft={draft}
          onChange={(changes) => {
            for (const [field, value] of Object.entries(changes)) {
              form.setValue(field as keyof PolicyDraft, value as never, { shouldValidate: form.formState.isSubmitted });
            }
          }}
          errors={errors}
        />
        {mutation.isError && <FormAlert error={mutation.error} shownFields={Object.keys(policyDefaults)} />}
      </form>
    </Dialog>
  );
}
