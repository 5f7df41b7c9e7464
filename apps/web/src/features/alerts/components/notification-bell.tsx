import { useEffect, useId, useRef, useState } from 'react';
import { Button } from '@/components/ui/button';
import { Icon } from '@/components/ui/icon';
import { t } from '@/i18n';
import { useUnreadAlertCount } from '../api/get-unread-count';
import { useMarkAllAlertsRead } from '../api/mark-read';
import { OpenAlertsList } from './open-alerts-list';

/**
 * The header's bell: how many open alerts the user has not read, and on a click the list of open
 * alerts (the disclosure pattern: Escape or a click outside closes it, focus returns to the bell).
 */
export function NotificationBell({ enabled = true }: { enabled?: boolean }) {
  const panelId = useId();
  const [open, setOpen] = useState(false);
  const rootRef = useRef<HTMLDivElement>(null);
  const buttonRef = useRef<HTMLButtonElement>(null);
  const count = useUnreadAlertCount({ enabled }).data?.count ?? 0;
  const markAll = useMarkAllAlertsRead();

  useEffect(() => {
    if (!open) return;
    const onKey = (event: KeyboardEvent) => {
      if (event.key === 'Escape') {
        setOpen(false);
        buttonRef.current?.focus();
      }
    };
    const onPointer = (event: PointerEvent) => {
      if (!rootRef.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('keydown', onKey);
    document.addEventListener('pointerdown', onPointer);
    return () => {
      document.removeEventListener('keydown', onKey);
      document.removeEventListener('pointerdown', onPointer);
    };
  }, [open]);

  if (!enabled) return null;
  return (
    <div className="bell" ref={rootRef}>
      <button
        ref={buttonRef}
        type="button"
        className="bell__button"
        aria-expanded={open}
        aria-controls={panelId}
        aria-label={count > 0 ? t('alerts.bellUnread', { count }) : t('alerts.bell')}
        onClick={() => setOpen((was) => !was)}
      >
        <Icon name="bell" size={20} />
        {count > 0 && (
          <span className="bell__count" aria-hidden="true">
            {count > 99 ? '99+' : count}
          </span>
        )}
      </button>
      {open && (
        <section id={panelId} className="bell__panel" aria-label={t('alerts.heading')}>
          <header className="bell__header">
            <h2>{t('alerts.heading')}</h2>
            <Button size="sm" variant="ghost" disabled={count === 0} pending={markAll.isPending} onClick={() => markAll.mutate()}>
              {t('alerts.markAllRead')}
            </Button>
          </header>
          <OpenAlertsList onNavigate={() => setOpen(false)} />
        </section>
      )}
    </div>
  );
}
