import { useId, useRef, type KeyboardEvent, type ReactNode } from 'react';

export interface PanelTab {
  id: string;
  label: string;
}

/**
 * Tabs inside a window (Details / Permissions): an ARIA tablist of buttons whose panels are this
 * component's children, one tab stop, arrow keys, Home and End move and select. The main tabs
 * (`tabs.tsx`) are links to pages instead.
 */
export function PanelTabs({
  label,
  tabs,
  selectedId,
  onSelect,
  children,
}: {
  label: string;
  tabs: readonly PanelTab[];
  selectedId: string;
  onSelect: (id: string) => void;
  children: ReactNode;
}) {
  const prefix = useId();
  const refs = useRef(new Map<string, HTMLButtonElement>());

  function onKeyDown(event: KeyboardEvent<HTMLButtonElement>, index: number): void {
    const last = tabs.length - 1;
    const next = { ArrowRight: index === last ? 0 : index + 1, ArrowLeft: index === 0 ? last : index - 1, Home: 0, End: last }[event.key];
    if (next === undefined) return;
    event.preventDefault();
    const tab = tabs[next];
    if (!tab) return;
    refs.current.get(tab.id)?.focus();
    onSelect(tab.id);
  }

  return (
    <div className="panel-tabs">
      <div role="tablist" aria-label={label} className="tabs panel-tabs__list">
        {tabs.map((tab, index) => {
          const selected = tab.id === selectedId;
          return (
            <button
              key={tab.id}
              ref={(node) => {
                if (node) refs.current.set(tab.id, node);
                else refs.current.delete(tab.id);
              }}
              type="button"
              role="tab"
              id={`${prefix}-tab-${tab.id}`}
              className="tabs__tab panel-tabs__tab"
              aria-selected={selected}
              aria-controls={`${prefix}-panel`}
              tabIndex={selected ? 0 : -1}
              onClick={() => onSelect(tab.id)}
              onKeyDown={(event) => onKeyDown(event, index)}
            >
              {tab.label}
            </button>
          );
        })}
      </div>
      <div role="tabpanel" id={`${prefix}-panel`} aria-labelledby={`${prefix}-tab-${selectedId}`} className="panel-tabs__panel">
        {children}
      </div>
    </div>
  );
}
