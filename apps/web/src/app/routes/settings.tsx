import { AuditStreamStatus } from '@/features/audit/components/audit-stream-status';
import { useGroups } from '@/features/groups/api/get-groups';
import { MfaPolicyForm } from '@/features/mfa/components/mfa-policy-form';
import { SecuritySettingsForm } from '@/features/settings/components/security-settings-form';
import { t } from '@/i18n';
import { Page } from './page';

/** Administrators: installation-wide settings (the API refuses others; the tab shows only with users.manage). */
export function SettingsRoute() {
  const groups = useGroups();
  return (
    <Page heading={t('settings.heading')}>
      <section className="history-section" aria-labelledby="security-settings-heading">
        <div className="section-head">
          <h2 id="security-settings-heading" className="section-title">
            {t('settings.security.heading')}
          </h2>
        </div>
        <SecuritySettingsForm />
      </section>
      <MfaPolicyForm groups={groups.data?.items} />
      <section className="history-section" aria-labelledby="audit-stream-heading">
        <div className="section-head">
          <h2 id="audit-stream-heading" className="section-title">
            {t('audit.stream.heading')}
          </h2>
        </div>
        <p className="muted">{t('audit.stream.intro')}</p>
        <AuditStreamStatus />
      </section>
    </Page>
  );
}
