import { zodResolver } from '@hookform/resolvers/zod';
import { QuickSaveRequestSchema, z } from '@passman/contracts';
import { useForm } from 'react-hook-form';
import { Button } from '@/components/ui/button';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { SelectField, type SelectOption } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { fieldMessages } from '@/lib/form-errors';
import type { QuickSaveResponse } from '@passman/contracts';
import type { ReactNode } from 'react';
import { useQuickSave } from '../api/quick-save';

const QuickSaveFormSchema = z.object({
  folderId: z.string().min(1),
  targetName: QuickSaveRequestSchema.shape.targetName,
  address: z.string(),
  port: z.string().regex(/^\d{0,5}$/),
  username: QuickSaveRequestSchema.shape.username,
  password: QuickSaveRequestSchema.shape.password,
});

/**
 * Quick Password Saving: target, account, password, folder → saved (target and account created
 * when missing) and checked. `renderJob` shows the check as it runs (the page owns the job's view).
 */
export function QuickSaveForm({
  folders,
  defaultFolderId,
  renderJob,
}: {
  folders: readonly SelectOption[];
  defaultFolderId: string;
  renderJob: (saved: QuickSaveResponse) => ReactNode;
}) {
  const save = useQuickSave();
  const form = useForm({
    resolver: zodResolver(QuickSaveFormSchema),
    defaultValues: { folderId: defaultFolderId, targetName: '', address: '', port: '', username: '', password: '' },
  });
  const errors = fieldMessages(form.formState.errors, fieldErrors(save.error), {
    targetName: t('dashboard.quickSave.targetInvalid'),
    username: t('dashboard.quickSave.usernameInvalid'),
    password: t('dashboard.quickSave.passwordInvalid'),
    port: t('dashboard.quickSave.portInvalid'),
  });
  const submit = form.handleSubmit(({ address, port, ...body }) => {
    save.mutate(
      { ...body, ...(address.trim() ? { address: address.trim() } : {}), ...(port ? { port: Number(port) } : {}) },
      { onSuccess: () => form.resetField('password') },
    );
  });

  return (
    <section className="dashboard-section" aria-labelledby="quick-save-heading">
      <h2 id="quick-save-heading" className="section-title">
        {t('dashboard.quickSave.heading')}
      </h2>
      <p className="muted">{t('dashboard.quickSave.hint')}</p>
      <form className="quick-save" onSubmit={(e) => void submit(e)} noValidate>
        <SelectField label={t('dashboard.quickSave.folder')} options={folders} {...form.register('folderId')} error={errors.folderId} />
        <TextField label={t('dashboard.quickSave.target')} autoComplete="off" {...form.register('targetName')} error={errors.targetName} />
        <TextField label={t('dashboard.quickSave.address')} hint={t('dashboard.quickSave.addressHint')} autoComplete="off" {...form.register('address')} />
        <TextField
          label={t('dashboard.quickSave.port')}
          hint={t('dashboard.quickSave.portHint')}
          inputMode="numeric"
          {...form.register('port')}
          error={errors.port}
        />
        <TextField label={t('dashboard.quickSave.account')} autoComplete="off" {...form.register('username')} error={errors.username} />
        <TextField
          label={t('dashboard.quickSave.password')}
          type="password"
          autoComplete="new-password"
          {...form.register('password')}
          error={errors.password}
        />
        {save.isError && <FormAlert error={save.error} shownFields={['folderId', 'targetName', 'port', 'username', 'password']} />}
        <div>
          <Button type="submit" variant="primary" pending={save.isPending}>
            {t('dashboard.quickSave.submit')}
          </Button>
        </div>
      </form>
      {save.data && (
        <div className="quick-save__result" aria-live="polite">
          <p>
            {t('dashboard.quickSave.saved', {
              account: save.data.account.username,
              target: save.data.target.name,
              created: save.data.target.created ? 'target' : save.data.account.created ? 'account' : 'none',
            })}
          </p>
          {renderJob(save.data)}
        </div>
      )}
    </section>
  );
}
