import { zodResolver } from '@hookform/resolvers/zod';
import { CreateTargetRequestSchema, z, type Target } from '@passman/contracts';
import { useState } from 'react';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { SelectField, type SelectOption } from '@/components/ui/select-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { t } from '@/i18n';
import { fieldMessages } from '@/lib/form-errors';
import { useCreateTarget } from '../api/create-target';
import { useUpdateTarget } from '../api/update-target';
import { ManagingAccountField, type ManagingAccount } from './managing-account-field';

function splitTags(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** What the fields hold (text), turned into a request and checked with the contract's schema. */
const TargetFormSchema = z
  .object({ folderId: z.string(), name: z.string(), address: z.string(), port: z.string(), description: z.string(), tags: z.string() })
  .transform((v): z.input<typeof CreateTargetRequestSchema> => ({
    folderId: v.folderId || undefined,
    name: v.name.trim(),
    address: v.address.trim(),
    port: v.port.trim() === '' ? Number.NaN : Number(v.port),
    description: v.description,
    tags: splitTags(v.tags),
  }))
  .pipe(CreateTargetRequestSchema);

export interface TargetFormDialogProps {
  /** Edit this target; omitted: add one. */
  target?: Target | undefined;
  /** Adding: the folders the user may add a target to (a target is moved, not edited, to another one). */
  folders?: readonly SelectOption[] | undefined;
  /** Adding: the folder chosen first (the one selected in the tree). */
  folderId?: string | undefined;
  onClose: () => void;
  onSaved?: (target: Target) => void;
}

/** Add a target host in a folder, or change its name, address, port, description, tags and managing account. */
export function TargetFormDialog({ target, folders, folderId, onClose, onSaved }: TargetFormDialogProps) {
  const create = useCreateTarget();
  const update = useUpdateTarget();
  const mutation = target ? update : create;
  const form = useForm({
    resolver: zodResolver(TargetFormSchema),
    defaultValues: {
      folderId: target ? '' : (folderId ?? ''),
      name: target?.name ?? '',
      address: target?.address ?? '',
      port: String(target?.port ?? 22),
      description: target?.description ?? '',
      tags: target?.tags.join(' ') ?? '',
    },
  });
  const [managing, setManaging] = useState<ManagingAccount>(target?.managingAccount ?? null);
  const errors = fieldMessages(form.formState.errors, fieldErrors(mutation.error), {
    name: t('targets.form.nameRequired'),
    address: t('targets.form.addressInvalid'),
    port: t('targets.form.portInvalid'),
    tags: t('targets.form.tagsInvalid'),
  });

  const submit = form.handleSubmit(({ connectorKind: _kind, folderId: chosenFolder, ...body }) => {
    const done = { onSuccess: (saved: Target) => (onSaved ? onSaved(saved) : onClose()) };
    // Sent only when changed, so saving other fields never undoes someone else's choice.
    const managingChange = target && (managing?.id ?? null) !== target.managingAccountId ? { managingAccountId: managing?.id ?? null } : {};
    if (target) update.mutate({ id: target.id, ...body, ...managingChange }, done);
    else create.mutate({ ...body, folderId: chosenFolder }, done);
  });

  return (
    <Dialog
      title={target ? t('targets.form.editTitle', { name: target.name }) : t('targets.form.addTitle')}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>{t('common.cancel')}</Button>
          <Button type="submit" form="target-form" variant="primary" pending={mutation.isPending}>
            {target ? t('common.save') : t('targets.form.add')}
          </Button>
        </>
      }
    >
      <form id="target-form" className="form form--grid" onSubmit={(event) => void submit(event)} noValidate>
        {!target && folders && (
          <SelectField
            label={t('targets.form.folder')}
            hint={t('targets.form.folderHint')}
            {...form.register('folderId')}
            options={folders}
            error={errors.folderId}
          />
        )}
        <TextField label={t('targets.form.name')} {...form.register('name')} data-autofocus maxLength={200} error={errors.name} />
        <div className="form__row">
          <TextField
            className="grow"
            label={t('targets.form.address')}
            hint={t('targets.form.addressHint')}
            {...form.register('address')}
            spellCheck={false}
            autoCapitalize="none"
            maxLength={253}
            error={errors.address}
          />
          <TextField
            className="narrow"
            label={t('targets.form.port')}
            hint={t('targets.form.portHint')}
            inputMode="numeric"
            {...form.register('port')}
            error={errors.port}
          />
        </div>
        <TextareaField label={t('targets.form.description')} {...form.register('description')} maxLength={1000} error={errors.description} />
        <TextField label={t('targets.form.tags')} hint={t('targets.form.tagsHint')} {...form.register('tags')} error={errors.tags} />
        {/* A new target has no accounts yet: its managing account is chosen when editing it. */}
        {target && <ManagingAccountField targetId={target.id} value={managing} onChange={setManaging} error={errors.managingAccountId} />}
        {mutation.isError && (
          <FormAlert error={mutation.error} shownFields={['folderId', 'name', 'address', 'port', 'description', 'tags', 'managingAccountId']} />
        )}
      </form>
    </Dialog>
  );
}
