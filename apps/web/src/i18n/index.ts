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
  let format = compiled.get(key);
  if (!format) {
    format = new IntlMessageFormat(messages[key], locale);
    compiled.set(key, format);
  }
  try {
    return String(format.format(params));
  } catch {
    // A placeholder without its value: show the message with the gap rather than fail the page.
    return messages[key];
  }
}

/** True when `key` is in the catalogue: for keys built at run time (e.g. error codes). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}
