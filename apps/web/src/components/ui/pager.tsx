import { t } from '@/i18n';
import type { CursorPages } from '@/lib/use-cursor-pages';
import { Button } from './button';
import { PAGE_SIZES } from '@/lib/url-state';

export interface PagerProps {
  /** The list's pages so far (useCursorPages). */
  pages: CursorPages;
  /** The current page's nextCursor: null on the last page. */
  nextCursor: string | null | undefined;
  rowsOnPage: number;
  pageSize: number;
  onPageSizeChange: (size: number) => void;
  loading?: boolean;
}

/**
 * Previous / Next over keyset (cursor) pages: the server never counts or skips rows, so a
 * page of 100 000 accounts costs what the first page costs.
 */
export function Pager({ pages, nextCursor, rowsOnPage, pageSize, onPageSizeChange, loading }: PagerProps) {
  const { page } = pages;
  const first = (page - 1) * pageSize + (rowsOnPage > 0 ? 1 : 0);
  const last = (page - 1) * pageSize + rowsOnPage;
  return (
    <nav className="pager" aria-label={t('pager.label')}>
      <label className="pager__size">
        <span>{t('pager.pageSize')}</span>
        <select className="field__input field__select" value={pageSize} onChange={(e) => onPageSizeChange(Number(e.target.value))}>
          {PAGE_SIZES.map((size) => (
            <option key={size} value={size}>
              {size}
            </option>
          ))}
        </select>
      </label>
      <p className="pager__range" aria-live="polite">
        {t('pager.range', { first, last, page })}
      </p>
      <div className="pager__buttons">
        <Button size="sm" disabled={!pages.hasPrevious || loading} onClick={pages.previous}>
          {t('pager.previous')}
        </Button>
        <Button size="sm" disabled={!nextCursor || loading} onClick={() => pages.next(nextCursor)}>
          {t('pager.next')}
        </Button>
      </div>
    </nav>
  );
}
