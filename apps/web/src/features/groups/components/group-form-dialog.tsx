import { zodResolver } from '@hookform/resolvers/zod';
import { CreateGroupRequestSchema, type Group, type GroupDetail } from '@passman/contracts';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { t } from '@/i18n';
import { fieldMessages } from '@/lib/form-errors';
import { useCreateGroup } from '../api/create-group';
import { useUpdateGroup } from '../api/update-group';

/** A new user group, or a group's new name and description. */
export function GroupFormDialog({ group, onClose, onSaved }: { group?: Group | undefined; onClose: () => void; onSaved?: (group: GroupDetail) => void }) {
  const create = useCreateGroup();
  const update = useUpdateGroup();
  const mutation = group ? update : create;
  const form = useForm({
    resolver: zodResolver(CreateGroupRequestSchema),
    defaultValues: { name: group?.name ?? '', description: group?.description ?? '' },
  });
  const errors = fieldMessages(form.formState.errors, fieldErrors(mutation.error), { name: t('groups.form.nameRequired') });

  const submit = form.handleSubmit((body) => {
    const done = { onSuccess: (saved: GroupDetail) => (onSaved ? onSaved(saved) : onClose()) };
    if (group) update.mutate({ id: group.id, ...body }, done);
    else create.mutate(body, done);
  });

  return (
    <Dialog
      title={group ? t('groups.form.editTitle', { name: group.name }) : t('groups.form.createTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="group-form" variant="primary" pending={mutation.isPending}>
            {group ? t('common.save') : t('groups.form.create')}
          </Button>
        </>
      }
    >
      <form id="group-form" className="form" onSubmit={(event) => void submit(event)} noValidate>
        <TextField label={t('groups.form.name')} {...form.register('name')} data-autofocus maxLength={200} autoComplete="off" error={errors.name} />
        <TextareaField label={t('groups.form.description')} {...form.register('description')} maxLength={1000} error={errors.description} />
        {mutation.isError && <FormAlert error={mutation.error} shownFields={['name', 'description']} />}
      </form>
    </Dialog>
  );
}
