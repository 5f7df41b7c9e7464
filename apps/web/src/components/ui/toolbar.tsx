import type { ReactNode } from 'react';
import { cx } from '@/lib/cx';

/** A row of filters and buttons above a table; `end` holds what sits on the right. */
export function Toolbar({ label, children, end, className }: { label: string; children?: ReactNode; end?: ReactNode; className?: string }) {
  return (
    <div role="group" aria-label={label} className={cx('toolbar', className)}>
      <div className="toolbar__start">{children}</div>
      {end && <div className="toolbar__end">{end}</div>}
    </div>
  );
}
