import { useJobs } from '../api/get-jobs';
import { t } from '@/i18n';
import { BatchProgress } from './batch-progress';

/** The latest batches (bulk Check / Reset), each with its live progress. */
export function RecentBatches({ max = 4 }: { max?: number }) {
  const query = useJobs({ limit: 200 });
  const ids = [...new Set((query.data?.items ?? []).flatMap((j) => (j.batchId ? [j.batchId] : [])))].slice(0, max);
  return (
    <section className="panel" aria-labelledby="batches-heading">
      <h2 id="batches-heading" className="section-title">
        {t('batch.heading')}
      </h2>
      {ids.length === 0 ? (
        <p className="muted">{t('batch.none')}</p>
      ) : (
        <div className="batch-list">
          {ids.map((id) => (
            <BatchProgress key={id} batchId={id} />
          ))}
        </div>
      )}
    </section>
  );
}
