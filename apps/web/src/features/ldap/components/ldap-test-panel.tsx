import type { LdapSettings } from '@passman/contracts';
import { useState } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { FormAlert } from '@/components/ui/form-alert';
import { TextField } from '@/components/ui/text-field';
import { t } from '@/i18n';
import { useSyncLdap, useTestLdap } from '../api/ldap-settings';

/** "Test connection" (with an optional user to look up) and "Sync now", with what each found. */
export function LdapTestPanel({ settings }: { settings: LdapSettings }) {
  const [username, setUsername] = useState('');
  const test = useTestLdap();
  const sync = useSyncLdap();
  const result = test.data;
  const last = sync.data ?? settings.lastSync;
  return (
    <section className="panel form" aria-labelledby="ldap-test-heading">
      <h2 id="ldap-test-heading" className="section-title">
        {t('ldap.test.heading')}
      </h2>
      <p className="field__hint">{t('ldap.test.hint')}</p>
      <form
        className="toolbar"
        onSubmit={(event) => {
          event.preventDefault();
          test.mutate(username.trim());
        }}
      >
        <TextField label={t('ldap.test.username')} value={username} onChange={(e) => setUsername(e.target.value)} autoComplete="off" />
        <Button type="submit" pending={test.isPending}>
          {t('ldap.test.run')}
        </Button>
      </form>
      {test.isError && <FormAlert error={test.error} />}
      {result && (
        <div role="status" data-testid="ldap-test-result">
          <Alert tone={result.ok ? 'success' : 'error'} meta={result.code ?? undefined}>
            {result.message}
          </Alert>
          {result.user && (
            <dl className="dl">
              <dt>{t('ldap.test.dn')}</dt>
              <dd>{result.user.dn}</dd>
              <dt>{t('ldap.test.user')}</dt>
              <dd>
                {result.user.username} ({result.user.displayName})
              </dd>
              <dt>{t('ldap.test.groups')}</dt>
              <dd>{result.user.groups.length ? result.user.groups.join('; ') : t('ldap.test.noGroups')}</dd>
              <dt>{t('ldap.test.role')}</dt>
              <dd>{result.user.role ?? t('ldap.test.noRole')}</dd>
            </dl>
          )}
        </div>
      )}

      <h2 className="section-title">{t('ldap.sync.heading')}</h2>
      {last && (
        <p role="status">
          {last.ok
            ? t('ldap.sync.summary', { at: new Date(last.at).toLocaleString(), checked: last.checked, updated: last.updated, disabled: last.disabled })
            : t('ldap.sync.failed', { at: new Date(last.at).toLocaleString(), error: last.error ?? '' })}
        </p>
      )}
      {sync.isError && <FormAlert error={sync.error} />}
      <div>
        <Button onClick={() => sync.mutate()} pending={sync.isPending}>
          {t('ldap.sync.run')}
        </Button>
      </div>
    </section>
  );
}
