import { useId, useRef, useState, type KeyboardEvent } from 'react';
import { cx } from '@/lib/cx';
import { Icon, type IconName } from './icon';

export interface MenuItem {
  id: string;
  label: string;
  onSelect: () => void;
  disabled?: boolean;
  danger?: boolean;
}

export interface MenuButtonProps {
  /** Accessible name of the button, e.g. "Actions for deploy". */
  label: string;
  items: readonly MenuItem[];
  icon?: IconName;
}

function menuItems(menu: HTMLElement | null): HTMLButtonElement[] {
  return menu ? Array.from(menu.querySelectorAll<HTMLButtonElement>('[role="menuitem"]:not([disabled])')) : [];
}

/**
 * A button that opens a menu (the ARIA menu button pattern). The menu is a popover, so it sits in
 * the top layer (never clipped by a scrolling table or a dialog); clicking outside, Escape or
 * Tab closes it; arrow keys, Home and End move; focus returns to the button.
 */
export function MenuButton({ label, items, icon = 'more' }: MenuButtonProps) {
  const menuId = useId();
  const buttonRef = useRef<HTMLButtonElement>(null);
  const menuRef = useRef<HTMLDivElement>(null);
  const [open, setOpen] = useState(false);

  const focusOnOpen = useRef<'first' | 'last'>('first');

  function place(): void {
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!menu || !button) return;
    const rect = button.getBoundingClientRect();
    menu.style.top = `${Math.round(rect.bottom + 4)}px`;
    menu.style.right = `${Math.round(document.documentElement.clientWidth - rect.right)}px`;
  }

  function flipIfNeeded(): void {
    const menu = menuRef.current;
    const button = buttonRef.current;
    if (!menu || !button) return;
    const rect = button.getBoundingClientRect();
    const height = menu.offsetHeight;
    if (rect.bottom + 4 + height > window.innerHeight && rect.top - 4 - height > 0) {
      menu.style.top = `${Math.round(rect.top - 4 - height)}px`;
    }
  }

  function hide(returnFocus: boolean): void {
    menuRef.current?.hidePopover();
    if (returnFocus) buttonRef.current?.focus();
  }

  function onMenuKeyDown(event: KeyboardEvent<HTMLDivElement>): void {
    const list = menuItems(menuRef.current);
    const index = list.indexOf(document.activeElement as HTMLButtonElement);
    const go = (next: number) => list[(next + list.length) % list.length]?.focus();
    switch (event.key) {
      case 'ArrowDown':
        go(index + 1);
        break;
      case 'ArrowUp':
        go(index - 1);
        break;
      case 'Home':
        go(0);
        break;
      case 'End':
        go(list.length - 1);
        break;
      case 'Escape':
        hide(true);
        break;
      case 'Tab':
        hide(false);
        return;
      default:
        return;
    }
    event.preventDefault();
    event.stopPropagation();
  }

  return (
    <>
      <button
        ref={buttonRef}
        type="button"
        className="icon-btn icon-btn--sm"
        aria-label={label}
        title={label}
        aria-haspopup="menu"
        aria-expanded={open}
        aria-controls={menuId}
        popoverTarget={menuId}
        onClick={() => {
          focusOnOpen.current = 'first';
        }}
        onKeyDown={(event) => {
          if ((event.key === 'ArrowDown' || event.key === 'ArrowUp') && !open) {
            event.preventDefault();
            focusOnOpen.current = event.key === 'ArrowDown' ? 'first' : 'last';
            menuRef.current?.showPopover();
          }
        }}
      >
        <Icon name={icon} />
      </button>
      <div
        ref={menuRef}
        id={menuId}
        role="menu"
        aria-label={label}
        popover="auto"
        className="menu"
        onKeyDown={onMenuKeyDown}
        onBeforeToggle={(event) => {
          if (event.newState === 'open') place();
        }}
        onToggle={(event) => {
          const nowOpen = event.newState === 'open';
          setOpen(nowOpen);
          if (nowOpen) {
            flipIfNeeded();
            const list = menuItems(menuRef.current);
            (focusOnOpen.current === 'first' ? list[0] : list[list.length - 1])?.focus();
          } else if (menuRef.current?.contains(document.activeElement)) {
            // Light dismiss while focus was inside: hand it back to the button.
            buttonRef.current?.focus();
          }
        }}
      >
        {items.map((item) => (
          <button
            key={item.id}
            type="button"
            role="menuitem"
            tabIndex={-1}
            disabled={item.disabled}
            className={cx('menu__item', item.danger && 'menu__item--danger')}
            onClick={() => {
              hide(true);
              item.onSelect();
            }}
          >
            {item.label}
          </button>
        ))}
      </div>
    </>
  );
}
