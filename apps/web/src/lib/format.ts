import { getLocale, t } from '@/i18n';

const formatters = new Map<string, Intl.DateTimeFormat>();

function dateTimeFormat(): Intl.DateTimeFormat {
  const locale = getLocale();
  let format = formatters.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    formatters.set(locale, format);
  }
  return format;
}

/** An ISO timestamp as the user's locale writes it; `fallback` when there is none. */
export function formatDateTime(value: string | null | undefined, fallback = t('table.empty.dash')): string {
  if (!value) return fallback;
  const date = new Date(value);
  return Number.isNaN(date.getTime()) ? fallback : dateTimeFormat().format(date);
}
