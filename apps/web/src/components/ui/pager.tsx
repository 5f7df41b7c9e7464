import { t } from '@/i18n';
import { Button } from './button';

export const PAGE_SIZES = [25, 50, 100, 200] as const;

export interface PagerProps {
  page: number;
  rowsOnPage: number;
  pageSize: number;
  hasPrevious: boolean;
  hasNext: boolean;
  onPrevious: () => void;
  onNext: () => void;
  onPageSizeChange: (size: number) => void;
  loading?: boolean;
}

/**
 * Previous / Next over keyset (cursor) pages: the server never counts or skips rows, so a
 * page of 100 000 accounts costs what the first page costs.
 */
export function Pager({ page, rowsOnPage, pageSize, hasPrevious, hasNext, onPrevious, onNext, onPageSizeChange, loading }: PagerProps) {
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
        <Button size="sm" disabled={!hasPrevious || loading} onClick={onPrevious}>
          {t('pager.previous')}
        </Button>
        <Button size="sm" disabled={!hasNext || loading} onClick={onNext}>
          {t('pager.next')}
        </Button>
      </div>
    </nav>
  );
}
