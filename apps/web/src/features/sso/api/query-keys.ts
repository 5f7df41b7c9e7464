/** The query keys of single sign-on: the login page's options and the administrator's settings. */
export const ssoKeys = {
  all: ['sso'] as const,
  loginOptions: () => [...ssoKeys.all, 'login-options'] as const,
  settings: () => [...ssoKeys.all, 'settings'] as const,
};
