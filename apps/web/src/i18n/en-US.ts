/**
 * The en-US message catalogue: every user-facing string of the web console.
 *
 * Keys are flat and dotted (`area.thing`). Placeholders are `{name}` and are filled by
 * `t(key, { name })`. Another language is a file exporting `Messages` (same keys, checked
 * by the compiler) registered in `./index.ts`.
 */
export const enUS = {
  'app.title': 'PassMan',
  'app.tagline': 'Privileged-credential vault',
  'app.loading': 'Loading PassMan…',
  'app.skipToContent': 'Skip to main content',

  'nav.main': 'Main',
  'nav.accounts': 'Accounts',
  'nav.targets': 'Targets',

  'auth.login.heading': 'Sign in to PassMan',
  'auth.login.intro': 'Use your operator account.',
  'auth.login.username': 'Username',
  'auth.login.password': 'Password',
  'auth.login.submit': 'Sign in',
  'auth.login.submitting': 'Signing in…',
  'auth.login.usernameRequired': 'Enter your username.',
  'auth.login.passwordRequired': 'Enter your password.',
  'auth.login.sessionExpired': 'Your session has ended. Sign in again.',
  'auth.logout': 'Sign out',
  'auth.logoutFailed': 'Could not sign out. Try again.',
  'auth.signedInAs': 'Signed in as {name}',
  'auth.role.admin': 'Administrator',
  'auth.role.operator': 'Operator',
  'auth.role.auditor': 'Auditor',

  'errors.INVALID_CREDENTIALS': 'The username or password is incorrect.',
  'errors.RATE_LIMITED': 'Too many attempts. Try again in {seconds} seconds.',
  'errors.RATE_LIMITED_SOON': 'Too many attempts. Try again in a moment.',
  'errors.UNAUTHENTICATED': 'You are not signed in.',
  'errors.FORBIDDEN': 'You do not have permission to do this.',
  'errors.NOT_FOUND': 'It was not found. It may have been deleted.',
  'errors.VALIDATION_FAILED': 'Some fields are not valid.',
  'errors.CSRF_INVALID': 'Your session is out of date. Reload the page and try again.',
  'errors.NETWORK_ERROR': 'PassMan cannot be reached. Check your connection and try again.',
  'errors.UNAVAILABLE': 'The PassMan server is not answering. Try again in a moment.',
  'errors.startup.heading': 'PassMan is not available',
  'errors.generic': 'Something unexpected went wrong.',
  'errors.requestId': 'Request ID: {id}',
  'errors.retry': 'Try again',
  'errors.boundary.heading': 'Something went wrong',
  'errors.boundary.body': 'The page hit an unexpected error.',
  'errors.boundary.reload': 'Reload',

  'notFound.heading': 'Page not found',
  'notFound.body': 'There is nothing at this address.',
  'notFound.home': 'Go to Accounts',

  'table.loading': 'Loading…',
  'table.loadMore': 'Load more',
  'table.loadingMore': 'Loading more…',
  'table.loadFailed': 'Could not load this list.',
  'table.empty.dash': '—',

  'accounts.heading': 'Accounts',
  'accounts.tableLabel': 'Accounts',
  'accounts.col.account': 'Account',
  'accounts.col.target': 'Target',
  'accounts.col.status': 'Status',
  'accounts.col.lastChecked': 'Last checked',
  'accounts.col.lastChanged': 'Last changed',
  'accounts.col.compliance': 'Compliance',
  'accounts.col.actions': 'Actions',
  'accounts.empty.heading': 'No accounts yet',
  'accounts.empty.body': 'Accounts you add to a target appear here.',
  'accounts.status.InSync': 'InSync',
  'accounts.status.NotInSync': 'NotInSync',
  'accounts.status.Unknown': 'Unknown',
  'accounts.compliance.Compliant': 'Compliant',
  'accounts.compliance.Noncompliant': 'Noncompliant',
  'accounts.never': 'Never',

  'targets.heading': 'Targets',
  'targets.tableLabel': 'Targets',
  'targets.col.name': 'Name',
  'targets.col.address': 'Address',
  'targets.col.port': 'Port',
  'targets.col.hostKey': 'Host key',
  'targets.col.accounts': 'Accounts',
  'targets.col.actions': 'Actions',
  'targets.empty.heading': 'No targets yet',
  'targets.empty.body': 'Hosts you add appear here.',
  'targets.hostKey.approved': 'Approved',
  'targets.hostKey.pending': 'Pending approval',
  'targets.hostKey.none': 'Not scanned',
} as const;

export type MessageKey = keyof typeof enUS;
/** The shape every other language's catalogue must have. */
export type Messages = Record<MessageKey, string>;
