import { useState } from 'react';
import { ImportProgress } from '@/features/imports/components/import-progress';
import { ImportWizard } from '@/features/imports/components/import-wizard';
import type { ImportSearch } from '@/features/imports/import-search';
import { t } from '@/i18n';
import { useUrlSearch } from '@/lib/url-state';
import { Page } from './page';

/** The Import wizard; once a run started, its id in the address (`?import=`) shows its progress. */
export function ImportRoute() {
  const [search, setSearch] = useUrlSearch<ImportSearch>();
  const [expectedRows, setExpectedRows] = useState<number | undefined>(undefined);
  return (
    <Page heading={t('imports.heading')}>
      {search.import ? (
        <ImportProgress importId={search.import} expectedRows={expectedRows} />
      ) : (
        <ImportWizard
          onStarted={(run, rows) => {
            setExpectedRows(rows);
            setSearch({ import: run.id }, { push: true, pagesKey: null });
          }}
        />
      )}
    </Page>
  );
}
