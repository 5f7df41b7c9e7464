import { ErrorState } from '@/components/ui/error-state';
import { ProgressBar } from '@/components/ui/progress-bar';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { isBatchDone, settledJobCount } from '@passman/contracts/job-rules';
import { useBatchProgress } from '../api/get-batch';

/** A batch live (SSE): a bar of finished jobs out of all, and the counts per state. */
export function BatchProgress({ batchId }: { batchId: string }) {
  const query = useBatchProgress(batchId);
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  const batch = query.data;
  const { queued, running, succeeded, failed, unverified } = batch.counts;
  const finished = settledJobCount(batch.counts);
  const summary = t('batch.progress', { finished, total: batch.total });
  return (
    <section className="batch" aria-label={t('batch.label', { kind: t(`jobs.kind.${batch.kind}`), at: formatDateTime(batch.createdAt) })}>
      <div className="batch__head">
        <span className="batch__title">
          {t(`jobs.kind.${batch.kind}`)} · {formatDateTime(batch.createdAt)}
        </span>
        <span role="status">{isBatchDone(batch.counts) ? t('batch.done', { finished, total: batch.total }) : summary}</span>
      </div>
      <ProgressBar label={t('batch.barLabel')} value={finished} max={batch.total} valueText={summary} />
      <p className="batch__counts">{t('batch.counts', { queued, running, succeeded, failed, unverified })}</p>
    </section>
  );
}
