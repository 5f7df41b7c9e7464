import { TargetsTable } from '@/features/targets/components/targets-table';
import { t } from '@/i18n';

export function TargetsRoute() {
  return (
    <section className="page" aria-labelledby="page-heading">
      <h1 id="page-heading" className="sr-only">
        {t('targets.heading')}
      </h1>
      <TargetsTable />
    </section>
  );
}
