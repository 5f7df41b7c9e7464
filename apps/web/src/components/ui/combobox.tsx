import { useEffect, useId, useState, type KeyboardEvent, type ReactNode } from 'react';
import { t } from '@/i18n';
import { cx } from '@/lib/cx';
import { errorMessage } from '@/lib/error-message';
import { Field } from './field';

export interface ComboboxOption {
  /** Unique among the options, e.g. `user:<id>`. */
  value: string;
  label: string;
  /** A second, quieter text, e.g. a user's display name. */
  detail?: string | undefined;
  /** The heading the option is listed under; options of one group come one after another. */
  group?: string | undefined;
}

export interface ComboboxProps {
  label: string;
  /** The text in the box: what was typed, or the label of what was picked. */
  inputValue: string;
  onInputChange: (text: string) => void;
  /** The choices for the text (the caller searches; this only shows them). */
  options: readonly ComboboxOption[];
  onSelect: (option: ComboboxOption) => void;
  /** A line under the choices, also read out: searching, nothing found, more than shown. */
  status?: string | undefined;
  /** The choices are for an earlier text while the search for this one is under way: shown dimmed. */
  busy?: boolean | undefined;
  placeholder?: string | undefined;
  hint?: ReactNode;
  error?: string | undefined;
  className?: string | undefined;
  maxLength?: number | undefined;
}

/** The line under a picker's choices: searching, failed, nothing (`none`), how many, or that more match than are offered. */
export function choicesStatus({
  searching,
  error,
  shown,
  more,
  none,
}: {
  searching: boolean;
  error: unknown;
  shown: number;
  more: boolean;
  none: string;
}): string {
  if (error) return t('picker.failed', { reason: errorMessage(error) });
  if (searching) return t('picker.searching');
  if (shown === 0) return none;
  return more ? t('picker.more', { count: shown }) : t('picker.count', { count: shown });
}

interface OptionGroup {
  name: string | undefined;
  options: { option: ComboboxOption; index: number }[];
}

function grouped(options: readonly ComboboxOption[]): OptionGroup[] {
  const groups: OptionGroup[] = [];
  options.forEach((option, index) => {
    const last = groups.at(-1);
    if (last && last.name === option.group) last.options.push({ option, index });
    else groups.push({ name: option.group, options: [{ option, index }] });
  });
  return groups;
}

/**
 * A text box whose choices follow what is typed (the ARIA combobox pattern, list autocomplete
 * with manual selection): arrow keys move through the choices while focus stays in the box,
 * Enter or a click picks one, Escape closes the list (not the window around it).
 */
export function Combobox({ label, inputValue, onInputChange, options, onSelect, status, busy, placeholder, hint, error, className, maxLength }: ComboboxProps) {
  const listId = useId();
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const activeIndex = open && active < options.length ? active : -1;
  const optionId = (index: number) => `${listId}-option-${index}`;

  useEffect(() => {
    if (activeIndex >= 0) document.getElementById(optionId(activeIndex))?.scrollIntoView({ block: 'nearest' });
    // optionId only depends on listId, which never changes.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [activeIndex]);

  function pick(option: ComboboxOption): void {
    onSelect(option);
    setOpen(false);
    setActive(-1);
  }

  function onKeyDown(event: KeyboardEvent<HTMLInputElement>): void {
    const count = options.length;
    switch (event.key) {
      case 'ArrowDown':
        event.preventDefault();
        setOpen(true);
        if (count > 0) setActive(open ? (activeIndex + 1) % count : 0);
        break;
      case 'ArrowUp':
        event.preventDefault();
        setOpen(true);
        if (count > 0) setActive(open && activeIndex > 0 ? activeIndex - 1 : count - 1);
        break;
      case 'Enter':
        if (activeIndex >= 0) {
          event.preventDefault();
          pick(options[activeIndex]!);
        }
        break;
      case 'Escape':
        if (open) {
          // Only the list closes: a dialog around the box would close on the same key.
          event.preventDefault();
          event.stopPropagation();
          setOpen(false);
          setActive(-1);
        }
        break;
      default:
        break;
    }
  }

  const showList = open && (options.length > 0 || Boolean(status));

  return (
    <Field label={label} hint={hint} error={error} className={cx('combobox', className)}>
      {({ id, describedBy, invalid }) => (
        <div className="combobox__box">
          <input
            id={id}
            type="text"
            role="combobox"
            className="field__input"
            autoComplete="off"
            spellCheck={false}
            aria-autocomplete="list"
            aria-expanded={showList}
            aria-controls={listId}
            aria-activedescendant={activeIndex >= 0 ? optionId(activeIndex) : undefined}
            aria-invalid={invalid}
            aria-describedby={describedBy}
            placeholder={placeholder}
            maxLength={maxLength}
            value={inputValue}
            onChange={(e) => {
              onInputChange(e.target.value);
              setOpen(true);
              setActive(-1);
            }}
            onClick={() => setOpen(true)}
            onBlur={() => {
              setOpen(false);
              setActive(-1);
            }}
            onKeyDown={onKeyDown}
          />
          <div className="combobox__popup" hidden={!showList}>
            <div role="listbox" id={listId} aria-label={label} aria-busy={busy || undefined} className={cx('combobox__list', busy && 'is-busy')}>
              {grouped(options).map((group) => {
                const items = group.options.map(({ option, index }) => (
                  <div
                    key={option.value}
                    id={optionId(index)}
                    role="option"
                    aria-selected={index === activeIndex}
                    className={cx('combobox__option', index === activeIndex && 'is-active')}
                    // Keep the focus in the box, so its blur does not close the list before the click.
                    onMouseDown={(e) => e.preventDefault()}
                    onClick={() => pick(option)}
                  >
                    <span className="combobox__label">{option.label}</span>
                    {option.detail && <span className="combobox__detail">{option.detail}</span>}
                  </div>
                ));
                if (group.name === undefined) return items;
                const headingId = `${listId}-group-${group.options[0]!.index}`;
                return (
                  <div key={headingId} role="group" aria-labelledby={headingId}>
                    <div id={headingId} role="presentation" className="combobox__group">
                      {group.name}
                    </div>
                    {items}
                  </div>
                );
              })}
            </div>
            {status && (
              // Read out by the status region below; shown here for the eye.
              <p className="combobox__status" aria-hidden="true">
                {status}
              </p>
            )}
          </div>
          <span role="status" className="sr-only">
            {showList ? status : ''}
          </span>
        </div>
      )}
    </Field>
  );
}
