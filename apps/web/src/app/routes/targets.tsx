import { TargetsBrowser } from '@/features/targets/components/targets-browser';
import { t } from '@/i18n';
import { Page } from './page';

export function TargetsRoute() {
  return (
    <Page heading={t('targets.heading')}>
      <TargetsBrowser />
    </Page>
  );
}
