import { enUS, type MessageKey, type Messages } from './en-US';

export type { MessageKey, Messages };
export type Locale = 'en-US';

const catalogues: Record<Locale, Messages> = { 'en-US': enUS };

let locale: Locale = 'en-US';
let messages: Messages = catalogues[locale];

/** The active locale, also used by `Intl` formatters. */
export function getLocale(): Locale {
  return locale;
}

export function setLocale(next: Locale): void {
  locale = next;
  messages = catalogues[next];
  document.documentElement.lang = next;
}

export type MessageParams = Record<string, string | number>;

/** Translates a catalogue key, filling `{name}` placeholders from `params`. */
export function t(key: MessageKey, params?: MessageParams): string {
  const template = messages[key];
  if (!params) return template;
  return template.replace(/\{(\w+)\}/g, (whole, name: string) => {
    const value = params[name];
    return value === undefined ? whole : String(value);
  });
}

/** True when `key` is in the catalogue: for keys built at run time (e.g. error codes). */
export function hasMessage(key: string): key is MessageKey {
  return Object.hasOwn(messages, key);
}
