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
} as const;

export function loginPath(redirectTo?: string): string {
  if (!redirectTo || redirectTo === paths.home || redirectTo.startsWith(paths.login)) {
    return paths.login;
  }
  return `${paths.login}?redirectTo=${encodeURIComponent(redirectTo)}`;
}

/** Only same-origin, absolute paths: a `redirectTo` from the URL must not leave the app. */
export function safeInternalPath(value: string | null | undefined, fallback: string): string {
  if (!value || !value.startsWith('/') || value.startsWith('//') || value.startsWith('/\\')) {
    return fallback;
  }
  return value;
}
