import { useEffect, useId, useRef, type ReactNode } from 'react';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';
import { IconButton } from './icon-button';

const FOCUSABLE =
  'input:not([type="hidden"]):not([disabled]), select:not([disabled]), textarea:not([disabled]), button:not([disabled]), a[href], [tabindex]:not([tabindex="-1"])';

/**
 * Where focus starts: an element marked `data-autofocus`, else the first control of the body,
 * else the first button of the footer (so it is not always the header's close button).
 */
function initialFocus(dialog: HTMLDialogElement): HTMLElement | null {
  return (
    dialog.querySelector<HTMLElement>('[data-autofocus]') ??
    dialog.querySelector<HTMLElement>(`.dialog__body :is(${FOCUSABLE})`) ??
    dialog.querySelector<HTMLElement>(`.dialog__footer :is(${FOCUSABLE})`)
  );
}

export interface DialogProps {
  title: ReactNode;
  /** A line under the title, tied to the dialog with aria-describedby. */
  description?: ReactNode;
  /** Escape, the close button and `onClose` callers end here. Omit to make it non-dismissable. */
  onClose?: () => void;
  size?: 'sm' | 'md' | 'lg' | 'xl';
  role?: 'dialog' | 'alertdialog';
  children: ReactNode;
  /** Buttons at the bottom, right-aligned. */
  footer?: ReactNode;
  className?: string;
}

/**
 * A modal window on the native `<dialog>` opened with `showModal()`: the rest of the page
 * is inert, so focus stays inside; Escape closes it; focus returns to what had it before.
 * Mount it to open, unmount it to close.
 */
export function Dialog({ title, description, onClose, size = 'md', role = 'dialog', children, footer, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);
  const titleId = useId();
  const descriptionId = useId();

  useEffect(() => {
    const dialog = ref.current;
    if (!dialog) return;
    const opener = document.activeElement instanceof HTMLElement ? document.activeElement : null;
    if (!dialog.open) dialog.showModal();
    initialFocus(dialog)?.focus();
    return () => {
      if (dialog.open) dialog.close();
      // The opener may sit in another dialog that is still open, or be gone (row removed).
      if (opener?.isConnected) opener.focus();
    };
  }, []);

  return (
    <dialog
      ref={ref}
      role={role === 'alertdialog' ? 'alertdialog' : undefined}
      className={cx('dialog', `dialog--${size}`, className)}
      aria-labelledby={titleId}
      aria-describedby={description ? descriptionId : undefined}
      onCancel={(event) => {
        // Escape: React decides; the dialog closes by being unmounted.
        event.preventDefault();
        onClose?.();
      }}
    >
      <header className="dialog__header">
        <div className="dialog__titles">
          <h2 id={titleId} className="dialog__title">
            {title}
          </h2>
          {description && (
            <p id={descriptionId} className="dialog__description">
              {description}
            </p>
          )}
        </div>
        {onClose && <IconButton icon="close" label={t('dialog.close')} size="sm" onClick={onClose} />}
      </header>
      <div className="dialog__body">{children}</div>
      {footer && <footer className="dialog__footer">{footer}</footer>}
    </dialog>
  );
}
