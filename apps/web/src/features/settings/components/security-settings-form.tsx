import { SECURITY_SETTING_LIMITS, type SecuritySettings } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { Spinner } from '@/components/ui/spinner';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useSecuritySettings, useUpdateSecuritySettings } from '../api/security-settings';

type Name = keyof SecuritySettings;
const NAMES: Name[] = ['sessionIdleMinutes', 'sessionMaxHours', 'stepUpWindowSeconds'];

/** The form, once the settings are loaded: whole numbers in their limits; only changed fields are sent. */
function Form({ settings, updatedAt, update }: { settings: SecuritySettings; updatedAt: string | null; update: ReturnType<typeof useUpdateSecuritySettings> }) {
  const [draft, setDraft] = useState<Record<Name, string>>(() => ({
    sessionIdleMinutes: String(settings.sessionIdleMinutes),
    sessionMaxHours: String(settings.sessionMaxHours),
    stepUpWindowSeconds: String(settings.stepUpWindowSeconds),
  }));
  const [local, setLocal] = useState<Partial<Record<Name, string>>>({});
  const server = fieldErrors(update.error);

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const problems: Partial<Record<Name, string>> = {};
    const changes: Partial<SecuritySettings> = {};
    for (const name of NAMES) {
      const { min, max } = SECURITY_SETTING_LIMITS[name];
      const value = Number(draft[name]);
      if (!/^\d+$/.test(draft[name].trim()) || value < min || value > max) problems[name] = t('settings.security.range', { min, max });
      else if (value !== settings[name]) changes[name] = value;
    }
    setLocal(problems);
    if (Object.keys(problems).length > 0 || Object.keys(changes).length === 0) return;
    update.mutate(changes);
  };

  const field = (name: Name) => (
    <TextField
      key={name}
      label={t(`settings.security.${name}`)}
      hint={t(`settings.security.${name}.hint`, { min: SECURITY_SETTING_LIMITS[name].min, max: SECURITY_SETTING_LIMITS[name].max })}
      inputMode="numeric"
      name={name}
      value={draft[name]}
      error={local[name] ?? server[name]}
      onChange={(event) => {
        update.reset();
        setDraft({ ...draft, [name]: event.target.value });
      }}
    />
  );

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={t('settings.security.heading')}>
      <fieldset className="fieldset fieldset--grid">
        <legend>{t('settings.security.sessions')}</legend>
        {field('sessionIdleMinutes')}
        {field('sessionMaxHours')}
      </fieldset>
      <fieldset className="fieldset fieldset--grid">
        <legend>{t('settings.security.stepUp')}</legend>
        {field('stepUpWindowSeconds')}
      </fieldset>
      <p className="muted">{updatedAt ? t('settings.security.updatedAt', { when: formatDateTime(updatedAt) }) : t('settings.security.fromEnvironment')}</p>
      {update.isError && <FormAlert error={update.error} shownFields={NAMES} />}
      {update.isSuccess && (
        <div role="status">
          <Alert tone="success">{t('settings.security.saved')}</Alert>
        </div>
      )}
      <div>
        <Button type="submit" variant="primary" pending={update.isPending}>
          {t('common.save')}
        </Button>
      </div>
    </form>
  );
}

/** Administrators: session timeouts and the step-up window (the environment's values until changed here). */
export function SecuritySettingsForm() {
  const query = useSecuritySettings();
  // Here, not in the form: a save remounts the form with the stored values, and its outcome stays shown.
  const update = useUpdateSecuritySettings();
  if (query.isPending) return <Spinner />;
  if (query.isError)
    return <ErrorState error={query.error} heading={t('table.loadFailed')} onRetry={() => void query.refetch()} retrying={query.isRefetching} />;
  const { updatedAt, ...settings } = query.data;
  return <Form key={updatedAt ?? 'defaults'} settings={settings} updatedAt={updatedAt} update={update} />;
}
