/** Every client-side route in one place; build links from here, never from string literals. */
export const paths = {
  home: '/',
  login: '/login',
  accounts: '/accounts',
  targets: '/targets',
  policies: '/policies',
  jobs: '/jobs',
  audit: '/audit',
  users: '/users',
  groups: '/groups',
  security: '/security',
  settings: '/settings',
  ldap: '/settings/ldap',
  approvals: '/approvals',
  import: '/import',
  sso: '/settings/sso',
  reports: '/reports',
  webhooks: '/settings/webhooks',
} as const;

export function loginPath(redirectTo?: string): string {
  if (!redirectTo || redirectTo === paths.home || redirectTo.startsWith(paths.login)) {
    return paths.login;
  }
  return `${paths.login}?redirectTo=${encodeURIComponent(redirectTo)}`;
}

/**
 * Only a path of this app: a `redirectTo` from the URL must not leave it. Resolved the way the
 * browser will resolve it (which drops tabs and newlines, so `/\t/evil.example` is `//evil.example`),
 * then kept only when it stays on this origin.
 */
export function safeInternalPath(value: string | null | undefined, fallback: string, origin = window.location.origin): string {
  if (!value || !value.startsWith('/') || value.length > 2048) return fallback;
  let url: URL;
  try {
    url = new URL(value, origin);
  } catch {
    return fallback;
  }
  if (url.origin !== origin || url.pathname.startsWith(paths.login)) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}
