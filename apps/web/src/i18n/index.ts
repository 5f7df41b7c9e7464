import { IntlMessageFormat } from 'intl-messageformat';
import { enUS, type MessageKey, type Messages } from './en-US';

export type { MessageKey, Messages };
export type Locale = 'en-US';

const catalogues: Record<Locale, Messages> = { 'en-US': enUS };

let locale: Locale = 'en-US';
let messages: Messages = catalogues[locale];
/** Each message parsed once per locale. */
let compiled = new Map<MessageKey, IntlMessageFormat>();

/** The active locale, also used by `Intl` formatters. */
export function getLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale): void {
  locale = next;
  messages = catalogues[next];
  compiled = new Map();
  document.documentElement.lang = next;
}

export type MessageParams = Record<string, string | number>;

/**
 * Translates a catalogue key. Messages are ICU MessageFormat: `{name}` is filled from `params`,
 * `{count, plural, one {# account} other {# accounts}}` picks the locale's plural form.
 */
export function t(key: MessageKey, params?: MessageParams): string {
  try {
    let format = compiled.get(key);
    if (!format) {
      format = new IntlMessageFormat(messages[key], locale);
      compiled.set(key, format);
    }
    return String(format.format(params));
  } catch {
    // A key missing from the catalogue, or a placeholder without its value: show what there is rather than fail the page.
    return messages[key] ?? key;
  }
}

/** True when `key` is in the catalogue: for keys built at run time (e.g. error codes). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}
