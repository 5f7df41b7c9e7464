import { Link, useNavigate } from '@tanstack/react-router';
import { useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface TabItem {
  id: string;
  label: string;
  /** Each tab is a page: the tab is a real link, so it can be opened in a new tab too. */
  href: string;
  /** What the page's address carries over from the current one (e.g. the folder chosen in the tree). */
  search?: Record<string, string> | undefined;
  /** A count beside the label (e.g. what waits for the user), with the words a screen reader says for it. */
  badge?: { count: number; label: string } | undefined;
}

export interface TabsProps {
  /** Accessible name of the tablist. */
  label: string;
  items: readonly TabItem[];
  selectedId: string | undefined;
  panelId: string;
}

export function tabId(id: string): string {
  return `tab-${id}`;
}

/**
 * An ARIA tablist whose tabs are selected as focus moves: one tab stop, the
 * arrow keys move between tabs and select them, Home and End jump to the ends.
 */
export function Tabs({ label, items, selectedId, panelId }: TabsProps) {
  const refs = useRef(new Map<string, HTMLAnchorElement>());
  const navigate = useNavigate();

  function move(event: KeyboardEvent<HTMLAnchorElement>, index: number): void {
    const last = items.length - 1;
    let next: number;
    switch (event.key) {
      case 'ArrowRight':
        next = index === last ? 0 : index + 1;
        break;
      case 'ArrowLeft':
        next = index === 0 ? last : index - 1;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        next = last;
        break;
      case ' ':
        event.preventDefault();
        event.currentTarget.click();
        return;
      default:
        return;
    }
    event.preventDefault();
    const item = items[next];
    if (!item) return;
    refs.current.get(item.id)?.focus();
    void navigate({ to: item.href, search: item.search ?? {} });
  }

  return (
    <div role="tablist" aria-label={label} className="tabs">
      {items.map((item, index) => {
        const selected = item.id === selectedId;
        return (
          <Link
            key={item.id}
            ref={(node) => {
              if (node) refs.current.set(item.id, node);
              else refs.current.delete(item.id);
            }}
            to={item.href}
            search={item.search ?? {}}
            role="tab"
            id={tabId(item.id)}
            className="tabs__tab"
            aria-selected={selected}
            aria-controls={selected ? panelId : undefined}
            tabIndex={selected || (selectedId === undefined && index === 0) ? 0 : -1}
            onKeyDown={(event) => move(event, index)}
          >
            {item.label}
            {item.badge && (
              <span className="tabs__badge" title={item.badge.label}>
                <span aria-hidden="true">{item.badge.count}</span>
                <span className="sr-only">{item.badge.label}</span>
              </span>
            )}
          </Link>
        );
      })}
    </div>
  );
}

export function TabPanel({ id, selectedId, children }: { id: string; selectedId: string | undefined; children: ReactNode }) {
  return (
    <div role="tabpanel" id={id} className="tabpanel" aria-labelledby={selectedId ? tabId(selectedId) : undefined} tabIndex={0}>
      {children}
    </div>
  );
}
