import { ROLES, type OidcSettings, type RoleName, type UpdateOidcSettings } from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Alert, LiveRegion } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { FormAlert } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { TextareaField } from '@/components/ui/textarea-field';
import { TextField } from '@/components/ui/text-field';
import { roleLabel } from '@/features/auth/role-label';
import { t } from '@/i18n';
import { usePutOidcSettings } from '../api/put-oidc-settings';
import { useTestOidcConnection } from '../api/test-oidc-connection';
import { formatMappingLines, groupMapping, roleMapping } from '../mapping-text';

interface Draft {
  enabled: boolean;
  providerName: string;
  issuer: string;
  clientId: string;
  clientSecret: string;
  caCertificates: string;
  consoleUrl: string;
  scopes: string;
  linkClaim: string;
  roleClaim: string;
  roleMapping: string;
  defaultRole: RoleName | '';
  groupsClaim: string;
  groupMapping: string;
  localLoginEnabled: boolean;
  breakGlassUsername: string;
  trustProviderMfa: boolean;
  mfaAmrValues: string;
}

function draftOf(settings: OidcSettings, groups: { id: string; name: string }[]): Draft {
  const groupName = new Map(groups.map((g) => [g.id, g.name]));
  return {
    ...settings,
    clientSecret: '',
    caCertificates: settings.caCertificates ?? '',
    scopes: settings.scopes.join(' '),
    roleClaim: settings.roleClaim ?? '',
    roleMapping: formatMappingLines(settings.roleMapping.map((m) => ({ value: m.value, target: m.role }))),
    defaultRole: settings.defaultRole ?? '',
    groupsClaim: settings.groupsClaim ?? '',
    groupMapping: formatMappingLines(settings.groupMapping.map((m) => ({ value: m.value, target: groupName.get(m.groupId) ?? m.groupId }))),
    breakGlassUsername: settings.breakGlassUsername ?? '',
    mfaAmrValues: settings.mfaAmrValues.join(' '),
  };
}

const words = (text: string) => text.split(/\s+/).filter(Boolean);

/** The administrators' single sign-on settings: the provider, who a sign-in is, what it may do, and whether passwords still count. */
export function OidcSettingsForm({ settings, groups }: { settings: OidcSettings; groups: { id: string; name: string }[] }) {
  const [draft, setDraft] = useState<Draft>(() => draftOf(settings, groups));
  const save = usePutOidcSettings();
  const test = useTestOidcConnection();
  const set =
    <K extends keyof Draft>(key: K) =>
    (value: Draft[K]) =>
      setDraft((d) => ({ ...d, [key]: value }));
  const text = (key: keyof Draft) => ({
    value: draft[key] as string,
    onChange: (e: { target: { value: string } }) => set(key)(e.target.value as never),
  });

  const roles = roleMapping(draft.roleMapping);
  const mappedGroups = groupMapping(draft.groupMapping, groups);

  const onSubmit = (event: FormEvent) => {
    event.preventDefault();
    if (roles.badLines.length > 0 || mappedGroups.badLines.length > 0) return;
    const body: UpdateOidcSettings = {
      enabled: draft.enabled,
      providerName: draft.providerName,
      issuer: draft.issuer.trim(),
      clientId: draft.clientId.trim(),
      caCertificates: draft.caCertificates.trim() || null,
      consoleUrl: draft.consoleUrl.trim(),
      scopes: words(draft.scopes),
      linkClaim: draft.linkClaim.trim(),
      roleClaim: draft.roleClaim.trim() || null,
      roleMapping: roles.mapping,
      defaultRole: draft.defaultRole || null,
      groupsClaim: draft.groupsClaim.trim() || null,
      groupMapping: mappedGroups.mapping,
      localLoginEnabled: draft.localLoginEnabled,
      breakGlassUsername: draft.breakGlassUsername.trim() || null,
      trustProviderMfa: draft.trustProviderMfa,
      mfaAmrValues: words(draft.mfaAmrValues),
      ...(draft.clientSecret ? { clientSecret: draft.clientSecret } : {}),
    };
    save.mutate(body, { onSuccess: (saved) => setDraft(draftOf(saved, groups)) });
  };

  const current = save.data ?? settings;
  return (
    <form className="sso-settings" onSubmit={onSubmit} noValidate aria-labelledby="sso-settings-heading">
      <h2 id="sso-settings-heading">{t('sso.settings.heading')}</h2>
      <CheckboxField label={t('sso.settings.enabled')} checked={draft.enabled} onChange={(e) => set('enabled')(e.target.checked)} />
      <TextField label={t('sso.settings.providerName')} hint={t('sso.settings.providerNameHint')} {...text('providerName')} />
      <div className="sso-settings__issuer">
        <TextField label={t('sso.settings.issuer')} hint={t('sso.settings.issuerHint')} {...text('issuer')} spellCheck={false} />
        <Button
          type="button"
          pending={test.isPending}
          disabled={!draft.issuer.trim()}
          onClick={() => test.mutate({ issuer: draft.issuer.trim(), caCertificates: draft.caCertificates.trim() || null })}
        >
          {t('sso.settings.test')}
        </Button>
      </div>
      <LiveRegion role="status">
        {test.data &&
          (test.data.ok ? (
            <Alert tone="info">
              {t('sso.settings.testOk', { issuer: test.data.issuer })}
              <dl className="sso-settings__endpoints">
                <dt>{t('sso.settings.endpoint.authorization')}</dt>
                <dd>{test.data.authorizationEndpoint}</dd>
                <dt>{t('sso.settings.endpoint.token')}</dt>
                <dd>{test.data.tokenEndpoint}</dd>
                <dt>{t('sso.settings.endpoint.userinfo')}</dt>
                <dd>{test.data.userinfoEndpoint}</dd>
                <dt>{t('sso.settings.endpoint.jwks')}</dt>
                <dd>{test.data.jwksUri}</dd>
              </dl>
            </Alert>
          ) : (
            <Alert>{t('sso.settings.testFailed', { reason: test.data.error ?? '' })}</Alert>
          ))}
        {test.isError && <FormAlert error={test.error} />}
      </LiveRegion>
      <TextareaField
        label={t('sso.settings.caCertificates')}
        hint={t('sso.settings.caCertificatesHint')}
        rows={2}
        {...text('caCertificates')}
        spellCheck={false}
      />
      <TextField label={t('sso.settings.clientId')} {...text('clientId')} spellCheck={false} />
      <TextField
        label={t('sso.settings.clientSecret')}
        type="password"
        autoComplete="off"
        hint={current.clientSecretSet ? t('sso.settings.clientSecretSet') : t('sso.settings.clientSecretUnset')}
        {...text('clientSecret')}
      />
      <TextField
        label={t('sso.settings.consoleUrl')}
        hint={current.redirectUri ? t('sso.settings.redirectUri', { uri: current.redirectUri }) : t('sso.settings.consoleUrlHint')}
        {...text('consoleUrl')}
        spellCheck={false}
      />
      <TextField label={t('sso.settings.scopes')} hint={t('sso.settings.scopesHint')} {...text('scopes')} spellCheck={false} />
      <TextField label={t('sso.settings.linkClaim')} hint={t('sso.settings.linkClaimHint')} {...text('linkClaim')} spellCheck={false} />
      <TextField label={t('sso.settings.roleClaim')} {...text('roleClaim')} spellCheck={false} />
      <TextareaField
        label={t('sso.settings.roleMapping')}
        hint={t('sso.settings.roleMappingHint')}
        error={roles.badLines.length > 0 ? t('sso.settings.badLines', { lines: roles.badLines.join(', ') }) : undefined}
        {...text('roleMapping')}
        spellCheck={false}
      />
      <SelectField
        label={t('sso.settings.defaultRole')}
        options={[{ value: '', label: t('sso.settings.defaultRoleNone') }, ...ROLES.map((role) => ({ value: role, label: roleLabel(role) }))]}
        value={draft.defaultRole}
        onChange={(e) => set('defaultRole')(e.target.value as RoleName | '')}
      />
      <TextField label={t('sso.settings.groupsClaim')} {...text('groupsClaim')} spellCheck={false} />
      <TextareaField
        label={t('sso.settings.groupMapping')}
        hint={t('sso.settings.groupMappingHint')}
        error={mappedGroups.badLines.length > 0 ? t('sso.settings.badLines', { lines: mappedGroups.badLines.join(', ') }) : undefined}
        {...text('groupMapping')}
        spellCheck={false}
      />
      <CheckboxField
        label={t('sso.settings.localLogin')}
        hint={t('sso.settings.localLoginHint')}
        checked={draft.localLoginEnabled}
        onChange={(e) => set('localLoginEnabled')(e.target.checked)}
      />
      <TextField label={t('sso.settings.breakGlass')} {...text('breakGlassUsername')} autoComplete="off" spellCheck={false} />
      <CheckboxField label={t('sso.settings.trustMfa')} checked={draft.trustProviderMfa} onChange={(e) => set('trustProviderMfa')(e.target.checked)} />
      <TextField label={t('sso.settings.mfaAmrValues')} {...text('mfaAmrValues')} spellCheck={false} />
      <Button type="submit" variant="primary" pending={save.isPending}>
        {t('sso.settings.save')}
      </Button>
      <LiveRegion role="status">{save.isSuccess && <Alert tone="info">{t('sso.settings.saved')}</Alert>}</LiveRegion>
      {save.isError && <FormAlert error={save.error} />}
    </form>
  );
}
