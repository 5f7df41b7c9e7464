import { ROLES, type LdapSettings, type RoleName, type UpdateLdapSettingsRequest } from '@passman/contracts';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { FormAlert, fieldErrors } from '@/components/ui/form-alert';
import { SecretField } from '@/components/ui/secret-field';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { useGroups } from '@/features/groups/api/get-groups';
import { t } from '@/i18n';
import { useUpdateLdapSettings } from '../api/ldap-settings';
import { GroupMappings, RoleMappings } from './ldap-mappings';

type Draft = Omit<UpdateLdapSettingsRequest, 'bindPassword'>;

function draftOf(settings: LdapSettings): Draft {
  const { hasBindPassword: _stored, lastSync: _last, ...draft } = settings;
  return draft;
}

const SHOWN_FIELDS = [
  'enabled',
  'url',
  'startTls',
  'caCertificate',
  'bindDn',
  'bindPassword',
  'baseDn',
  'userFilter',
  'usernameAttribute',
  'displayNameAttribute',
  'groupAttribute',
  'groupSearchBase',
  'groupFilter',
  'syncIntervalMinutes',
];

/** The LDAP / Active Directory settings. The bind password is write-only: typed to change it, never shown. */
export function LdapSettingsForm({ settings }: { settings: LdapSettings }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings));
  const [bindPassword, setBindPassword] = useState('');
  const [removePassword, setRemovePassword] = useState(false);
  const update = useUpdateLdapSettings();
  const groups = useGroups({});
  const errors = fieldErrors(update.error);
  const text = (key: { [K in keyof Draft]: Draft[K] extends string ? K : never }[keyof Draft]) => ({
    value: draft[key],
    onChange: (e: { target: { value: string } }) => setDraft((d) => ({ ...d, [key]: e.target.value })),
    error: errors[key],
  });

  const submit = (event: React.FormEvent) => {
    event.preventDefault();
    const password = removePassword ? { bindPassword: null } : bindPassword ? { bindPassword } : {};
    update.mutate(
      { ...draft, ...password },
      {
        onSuccess: () => {
          setBindPassword('');
          setRemovePassword(false);
        },
      },
    );
  };

  return (
    <form className="form panel" aria-label={t('ldap.heading')} onSubmit={submit} noValidate>
      <CheckboxField
        label={t('ldap.enabled')}
        hint={t('ldap.enabled.hint')}
        checked={draft.enabled}
        onChange={(e) => setDraft((d) => ({ ...d, enabled: e.target.checked }))}
      />

      <fieldset className="form">
        <legend className="section-title">{t('ldap.connection')}</legend>
        <TextField label={t('ldap.url')} hint={t('ldap.url.hint')} placeholder="ldaps://dc1.example.com:636" autoComplete="off" {...text('url')} />
        <CheckboxField
          label={t('ldap.startTls')}
          hint={t('ldap.startTls.hint')}
          checked={draft.startTls}
          onChange={(e) => setDraft((d) => ({ ...d, startTls: e.target.checked }))}
        />
        <TextareaField label={t('ldap.caCertificate')} hint={t('ldap.caCertificate.hint')} rows={4} {...text('caCertificate')} />
        <TextField label={t('ldap.bindDn')} hint={t('ldap.bindDn.hint')} autoComplete="off" {...text('bindDn')} />
        <SecretField
          label={t('ldap.bindPassword')}
          hint={settings.hasBindPassword ? t('ldap.bindPassword.stored') : t('ldap.bindPassword.none')}
          value={bindPassword}
          onChange={setBindPassword}
          error={errors.bindPassword}
        />
        {settings.hasBindPassword && (
          <CheckboxField label={t('ldap.bindPassword.remove')} checked={removePassword} onChange={(e) => setRemovePassword(e.target.checked)} />
        )}
      </fieldset>

      <fieldset className="form">
        <legend className="section-title">{t('ldap.users')}</legend>
        <TextField label={t('ldap.baseDn')} placeholder="dc=example,dc=com" autoComplete="off" {...text('baseDn')} />
        <TextField label={t('ldap.userFilter')} hint={t('ldap.userFilter.hint')} autoComplete="off" {...text('userFilter')} />
        <TextField label={t('ldap.usernameAttribute')} hint={t('ldap.usernameAttribute.hint')} autoComplete="off" {...text('usernameAttribute')} />
        <TextField label={t('ldap.displayNameAttribute')} autoComplete="off" {...text('displayNameAttribute')} />
      </fieldset>

      <fieldset className="form">
        <legend className="section-title">{t('ldap.groups')}</legend>
        <TextField label={t('ldap.groupAttribute')} hint={t('ldap.groupAttribute.hint')} autoComplete="off" {...text('groupAttribute')} />
        <TextField label={t('ldap.groupSearchBase')} hint={t('ldap.groupSearchBase.hint')} autoComplete="off" {...text('groupSearchBase')} />
        <TextField label={t('ldap.groupFilter')} hint={t('ldap.groupFilter.hint')} autoComplete="off" {...text('groupFilter')} />
      </fieldset>

      <SelectField
        label={t('ldap.defaultRole')}
        hint={t('ldap.defaultRole.hint')}
        options={[{ value: '', label: t('ldap.defaultRole.none') }, ...ROLES.map((role) => ({ value: role, label: role }))]}
        value={draft.defaultRole ?? ''}
        onChange={(e) => setDraft((d) => ({ ...d, defaultRole: (e.target.value || null) as RoleName | null }))}
      />
      <RoleMappings value={draft.roleMappings} onChange={(roleMappings) => setDraft((d) => ({ ...d, roleMappings }))} errors={errors} />
      <GroupMappings
        value={draft.groupMappings}
        onChange={(groupMappings) => setDraft((d) => ({ ...d, groupMappings }))}
        groups={groups.data?.items ?? []}
        errors={errors}
      />

      <TextField
        label={t('ldap.syncInterval')}
        hint={t('ldap.syncInterval.hint')}
        type="number"
        min={0}
        max={10080}
        value={String(draft.syncIntervalMinutes)}
        onChange={(e) => setDraft((d) => ({ ...d, syncIntervalMinutes: Number(e.target.value) }))}
        error={errors.syncIntervalMinutes}
      />

      {update.isError && <FormAlert error={update.error} shownFields={SHOWN_FIELDS} />}
      {update.isSuccess && !update.isPending && (
        <div role="status">
          <Alert tone="success">{t('ldap.saved')}</Alert>
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
