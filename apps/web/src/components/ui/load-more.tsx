import { t } from '@/i18n';
import { Button } from './button';

/** "Load more" under a cursor-paged list; keeps its space so the page does not jump. */
export function LoadMore({ hasMore, loading, onLoadMore }: { hasMore: boolean; loading: boolean; onLoadMore: () => void }) {
  if (!hasMore) return null;
  return (
    <div className="load-more">
      <Button onClick={onLoadMore} pending={loading}>
        {loading ? t('table.loadingMore') : t('table.loadMore')}
      </Button>
    </div>
  );
}
