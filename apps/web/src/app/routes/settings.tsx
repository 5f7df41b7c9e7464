import { SecuritySettingsForm } from '@/features/settings/components/security-settings-form';
import { t } from '@/i18n';
import { Page } from './page';

/** Administrators: installation-wide settings (the API refuses others; the tab shows only with users.manage). */
export function SettingsRoute() {
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
    </Page>
  );
}
