import { cx } from '@/lib/cx';

/** Decorative spinner; pair it with visible or `role="status"` text. */
export function Spinner({ size = 'md' }: { size?: 'sm' | 'md' | 'lg' }) {
  return <span className={cx('spinner', `spinner--${size}`)} aria-hidden="true" />;
}
