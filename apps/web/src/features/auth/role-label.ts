import { hasMessage, t } from '@/i18n';

/** A role's name in the user's language (the API's name when the catalogue has none). */
export function roleLabel(role: string): string {
  const key = `auth.role.${role}`;
  return hasMessage(key) ? t(key) : role;
}
