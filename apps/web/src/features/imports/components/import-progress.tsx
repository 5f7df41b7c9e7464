import { hasImportEnded } from '@passman/contracts';
import { Link } from '@tanstack/react-router';
import { Alert } from '@/components/ui/alert';
import { ProgressBar } from '@/components/ui/progress-bar';
import { paths } from '@/config/paths';
import { t } from '@/i18n';
import { errorReportUrl, useImport } from '../api/get-import';
import { ImportCounts } from './import-counts';
import { ImportRowsTable } from './import-rows-table';

/** A real run: its progress while it runs, then what it did, the accounts and the error report. */
export function ImportProgress({ importId, expectedRows }: { importId: string; expectedRows?: number | undefined }) {
  const run = useImport(importId);
  if (run.isError) return <Alert>{t('imports.run.loadFailed')}</Alert>;
  if (!run.data) return <p role="status">{t('imports.run.loading')}</p>;
  const { data } = run;
  const done = hasImportEnded(data.state);
  const max = data.counts.total || expectedRows || Math.max(data.counts.processed, 1);
  const problems = data.counts.skip + data.counts.failed;
  return (
    <section className="import-wizard" aria-label={t('imports.run.heading')}>
      <h2 className="import-wizard__step">{t('imports.run.heading')}</h2>
      <ProgressBar
        label={t('imports.run.progress')}
        value={done ? max : data.counts.processed}
        max={max}
        valueText={t('imports.run.progressText', { done: data.counts.processed, total: max })}
      />
      <p role="status">
        {data.state === 'queued'
          ? t('imports.run.queued')
          : data.state === 'running'
            ? t('imports.run.running', { done: data.counts.processed, total: max })
            : data.state === 'succeeded'
              ? t('imports.run.succeeded')
              : t('imports.run.failed', { code: data.errorCode ?? '' })}
      </p>
      <ImportCounts run={data} />
      {done && (
        <div className="dialog__inline-footer">
          {problems > 0 && (
            <a className="btn btn--secondary" href={errorReportUrl(importId)} download>
              {t('imports.run.errorReport')}
            </a>
          )}
          <Link to={paths.accounts} search={{ folder: data.folderId }}>
            {t('imports.run.showAccounts')}
          </Link>
        </div>
      )}
      {done && <ImportRowsTable importId={importId} label={t('imports.run.rows')} />}
    </section>
  );
}
