import type { ReactNode } from 'react';
import { cx } from '@/lib/cx';

export interface AlertProps {
  tone?: 'error' | 'info' | 'success' | 'warning';
  children: ReactNode;
  /** Small print under the message, e.g. a request id. */
  meta?: ReactNode;
  action?: ReactNode;
}

/** A visible message box. For announcements put it in a `LiveRegion`. */
export function Alert({ tone = 'error', children, meta, action }: AlertProps) {
  return (
    <div className={cx('alert', `alert--${tone}`)}>
      <span className="alert__icon" aria-hidden="true" />
      <div className="alert__body">
        <p className="alert__message">{children}</p>
        {meta && <p className="alert__meta">{meta}</p>}
      </div>
      {action && <div className="alert__action">{action}</div>}
    </div>
  );
}

/**
 * A live region that is always in the DOM, so screen readers announce what is put in it.
 * `role="alert"` for errors (assertive), `role="status"` for the rest (polite).
 */
export function LiveRegion({ role = 'alert', className, children }: { role?: 'alert' | 'status'; className?: string; children?: ReactNode }) {
  return (
    <div role={role} className={className}>
      {children}
    </div>
  );
}
