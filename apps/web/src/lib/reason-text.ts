import { hasMessage, t } from '@/i18n';

/**
 * A status reason or job error code (`AUTH_REJECTED`, `SSH_DIR_OWNERSHIP` …) in words; the
 * code itself when the catalogue does not know it yet.
 */
export function reasonText(code: string | null | undefined): string {
  if (!code) return '';
  const key = `reason.${code}`;
  return hasMessage(key) ? t(key) : code;
}
