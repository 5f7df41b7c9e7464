import type { Target } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Button } from '@/components/ui/button';
import { Dialog } from '@/components/ui/dialog';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { t } from '@/i18n';
import { useCreateTarget } from '../api/create-target';
import { useUpdateTarget } from '../api/update-target';
import { ManagingAccountField, type ManagingAccount } from './managing-account-field';

const TAG = /^[\w.:/-]+$/;

function splitTags(text: string): string[] {
  return text
    .split(/[\s,]+/)
    .map((x) => x.trim())
    .filter(Boolean);
}

/** Add a target host, or change its name, address, port, description, tags and managing account. */
export function TargetFormDialog({ target, onClose, onSaved }: { target?: Target | undefined; onClose: () => void; onSaved?: (target: Target) => void }) {
  const create = useCreateTarget();
  const update = useUpdateTarget();
  const mutation = target ? update : create;
  const [name, setName] = useState(target?.name ?? '');
  const [address, setAddress] = useState(target?.address ?? '');
  const [port, setPort] = useState(String(target?.port ?? 22));
  const [description, setDescription] = useState(target?.description ?? '');
  const [tags, setTags] = useState(target?.tags.join(' ') ?? '');
  const [managing, setManaging] = useState<ManagingAccount>(target?.managingAccount ?? null);
  const [local, setLocal] = useState<Record<string, string>>({});
  const errors = { ...fieldErrors(mutation.error), ...local };

  function submit(event: FormEvent): void {
    event.preventDefault();
    const problems: Record<string, string> = {};
    const portNumber = Number(port);
    if (!name.trim()) problems.name = t('targets.form.nameRequired');
    if (!address.trim() || /\s/.test(address.trim()) || address.trim().startsWith('-')) problems.address = t('targets.form.addressInvalid');
    if (!Number.isInteger(portNumber) || portNumber < 1 || portNumber > 65535) problems.port = t('targets.form.portInvalid');
    if (splitTags(tags).some((tag) => !TAG.test(tag) || tag.length > 64)) problems.tags = t('targets.form.tagsInvalid');
    setLocal(problems);
    if (Object.keys(problems).length > 0) return;
    const body = { name: name.trim(), address: address.trim(), port: portNumber, description, tags: splitTags(tags) };
    const done = { onSuccess: (saved: Target) => (onSaved ? onSaved(saved) : onClose()) };
    // Sent only when changed, so saving other fields never undoes someone else's choice.
    const managingChange = target && (managing?.id ?? null) !== target.managingAccountId ? { managingAccountId: managing?.id ?? null } : {};
    if (target) update.mutate({ id: target.id, ...body, ...managingChange }, done);
    else create.mutate(body, done);
  }

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
      <form id="target-form" className="form form--grid" onSubmit={submit} noValidate>
        <TextField label={t('targets.form.name')} value={name} data-autofocus maxLength={200} error={errors.name} onChange={(e) => setName(e.target.value)} />
        <div className="form__row">
          <TextField
            className="grow"
            label={t('targets.form.address')}
            hint={t('targets.form.addressHint')}
            value={address}
            spellCheck={false}
            autoCapitalize="none"
            maxLength={253}
            error={errors.address}
            onChange={(e) => setAddress(e.target.value)}
          />
          <TextField className="narrow" label={t('targets.form.port')} hint={t('targets.form.portHint')} inputMode="numeric" value={port} error={errors.port} onChange={(e) => setPort(e.target.value)} />
        </div>
        <TextareaField label={t('targets.form.description')} value={description} maxLength={1000} error={errors.description} onChange={(e) => setDescription(e.target.value)} />
        <TextField label={t('targets.form.tags')} hint={t('targets.form.tagsHint')} value={tags} error={errors.tags} onChange={(e) => setTags(e.target.value)} />
        {/* A new target has no accounts yet: its managing account is chosen when editing it. */}
        {target && <ManagingAccountField targetId={target.id} value={managing} onChange={setManaging} error={errors.managingAccountId} />}
        {mutation.isError && <FormAlert error={mutation.error} shownFields={['name', 'address', 'port', 'description', 'tags', 'managingAccountId']} />}
      </form>
    </Dialog>
  );
}
