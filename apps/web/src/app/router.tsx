import type { QueryClient } from '@tanstack/react-query';
import { createRootRouteWithContext, createRoute, createRouter, lazyRouteComponent, Outlet, redirect, useMatches, useRouter } from '@tanstack/react-router';
import { useEffect, type ReactNode } from 'react';
import { AppLayout, type MainTab } from '@/components/layouts/app-layout';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { paths, safeInternalPath } from '@/config/paths';
import { accountsSearchSchema } from '@/features/accounts/use-account-list-state';
import { auditSearchSchema } from '@/features/audit/audit-search';
import { groupsSearchSchema } from '@/features/groups/groups-search';
import { importSearchSchema } from '@/features/imports/import-search';
import { meQueryOptions, useMe } from '@/features/auth/api/get-me';
import { mfaStatusQuery } from '@/features/mfa/api/mfa';
import { jobsSearchSchema } from '@/features/jobs/jobs-search';
import { targetsSearchSchema } from '@/features/targets/targets-search';
import { usersSearchSchema } from '@/features/users/users-search';
import { reportsSearchSchema } from '@/features/reports/reports-search';
import { t } from '@/i18n';
import { z } from '@passman/contracts';
import { AccountActionsProvider } from './account-actions-provider';
import { AccountsRoute } from './routes/accounts';
import { AuditRoute } from './routes/audit';
import { DashboardRoute } from './routes/dashboard';
import { JobsRoute } from './routes/jobs';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';
import { PoliciesRoute } from './routes/policies';
import { TargetsRoute } from './routes/targets';
import { UsersRoute } from './routes/users';
import { TargetActionsProvider } from './target-actions-provider';

declare module '@tanstack/react-router' {
  interface StaticDataRouteOption {
    /** The main tab a page belongs to, and its title (the browser tab's). */
    tab?: MainTab;
    title?: () => string;
  }
}

function FullPage({ children }: { children: ReactNode }) {
  return <div className="full-page">{children}</div>;
}

/** Waits for the session (GET /auth/me) before any page shows. */
function SessionGate() {
  const me = useMe();
  if (me.isPending) {
    return (
      <FullPage>
        <div role="status" className="full-page__loading">
          <Spinner size="lg" />
          <span>{t('app.loading')}</span>
        </div>
      </FullPage>
    );
  }
  if (me.isError) {
    return (
      <AuthLayout title={t('errors.startup.heading')}>
        <div className="auth-card__body">
          <ErrorState error={me.error} onRetry={() => void me.refetch()} retrying={me.isFetching} />
        </div>
      </AuthLayout>
    );
  }
  return <Outlet />;
}

/** The signed-in frame around a page; without a session, the login page (coming back here after). */
function SignedIn({ children }: { children: ReactNode }) {
  const { data: session } = useMe();
  const router = useRouter();
  const matches = useMatches();
  // The session ended while a page was open: the route's check sends the user to the login page.
  useEffect(() => {
    if (!session) void router.invalidate();
  }, [session, router]);
  if (!session) return null;
  const page = [...matches].reverse().find((match) => match.staticData.title);
  return (
    <AccountActionsProvider>
      <TargetActionsProvider>
        <AppLayout tab={page?.staticData.tab} title={page?.staticData.title?.() ?? t('notFound.heading')}>
          {children}
        </AppLayout>
      </TargetActionsProvider>
    </AccountActionsProvider>
  );
}

/** The session, once asked for: `null` without one, `undefined` when the API could not say (the gate shows why). */
async function sessionOf(queryClient: QueryClient) {
  return queryClient.fetchQuery(meQueryOptions()).catch(() => undefined);
}

/**
 * Whether the policy requires this user to enrol a second factor now (an API that cannot say: no).
 * Asked again at most once a minute, not on every navigation: a change of the list's search must not
 * wait for the network (a slow answer left the page pending). Enrolling refreshes it at once, and
 * the API itself refuses everything but enrolment (MFA_ENROLMENT_REQUIRED) whatever the console knows.
 */
async function mustEnrol(queryClient: QueryClient): Promise<boolean> {
  const status = await queryClient.fetchQuery({ ...mfaStatusQuery(), staleTime: 60_000 }).catch(() => undefined);
  return status?.policy.enrolmentRequired === true;
}

const knownPaths: ReadonlySet<string> = new Set(Object.values(paths));

const rootRoute = createRootRouteWithContext<{ queryClient: QueryClient }>()({
  // A path no page has: signed out, the login page first (as for any page); signed in, "not found".
  beforeLoad: async ({ context, location }) => {
    if (knownPaths.has(location.pathname) || (await sessionOf(context.queryClient)) !== null) return;
    throw redirect({ to: paths.login, search: { redirectTo: location.href }, replace: true });
  },
  component: SessionGate,
  notFoundComponent: () => (
    <SignedIn>
      <NotFoundRoute />
    </SignedIn>
  ),
});

const loginRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: paths.login,
  validateSearch: z.object({
    redirectTo: z.coerce.string().optional().catch(undefined),
    reason: z.coerce.string().optional().catch(undefined),
    ssoError: z.coerce.string().optional().catch(undefined),
    mfa: z.enum(['sso']).optional().catch(undefined),
  }),
  beforeLoad: async ({ context, search }) => {
    if (await sessionOf(context.queryClient)) throw redirect({ href: safeInternalPath(search.redirectTo, paths.home), replace: true });
  },
  component: LoginRoute,
});

const appRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'signed-in',
  beforeLoad: async ({ context, location }) => {
    if ((await sessionOf(context.queryClient)) !== null) {
      // The MFA policy may require a second factor before anything else: the Security page first.
      if (location.pathname !== paths.security && (await mustEnrol(context.queryClient))) throw redirect({ to: paths.security, replace: true });
      return;
    }
    const redirectTo = location.href === paths.home ? undefined : location.href;
    throw redirect({ to: paths.login, search: { redirectTo }, replace: true });
  },
  component: () => (
    <SignedIn>
      <Outlet />
    </SignedIn>
  ),
});

/** The home page is the dashboard. */
const homeRoute = createRoute({
  getParentRoute: () => appRoute,
  path: paths.home,
  staticData: { tab: 'dashboard', title: () => t('nav.dashboard') },
  component: DashboardRoute,
});

/** Signed-in pages: path, tab, title, the address's search schema and the page. Add a page here (and in `config/paths`). */
const pageRoutes = [
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.accounts,
    staticData: { tab: 'accounts', title: () => t('nav.accounts') },
    validateSearch: accountsSearchSchema,
    component: AccountsRoute,
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.targets,
    staticData: { tab: 'targets', title: () => t('nav.targets') },
    validateSearch: targetsSearchSchema,
    component: TargetsRoute,
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.policies,
    staticData: { tab: 'policies', title: () => t('nav.policies') },
    component: PoliciesRoute,
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.jobs,
    staticData: { tab: 'jobs', title: () => t('nav.jobs') },
    validateSearch: jobsSearchSchema,
    component: JobsRoute,
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.audit,
    staticData: { tab: 'audit', title: () => t('nav.audit') },
    validateSearch: auditSearchSchema,
    component: AuditRoute,
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.users,
    staticData: { tab: 'users', title: () => t('nav.users') },
    validateSearch: usersSearchSchema,
    component: UsersRoute,
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.groups,
    staticData: { tab: 'groups', title: () => t('nav.groups') },
    validateSearch: groupsSearchSchema,
    // Administrators only, and seldom: its code is fetched when it is first opened.
    component: lazyRouteComponent(() => import('./routes/groups'), 'GroupsRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.security,
    staticData: { title: () => t('security.heading') },
    component: lazyRouteComponent(() => import('./routes/security'), 'SecurityRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.settings,
    staticData: { tab: 'settings', title: () => t('settings.heading') },
    component: lazyRouteComponent(() => import('./routes/settings'), 'SettingsRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.ldap,
    staticData: { tab: 'ldap', title: () => t('ldap.heading') },
    // Administrators only, and seldom: fetched when first opened.
    component: lazyRouteComponent(() => import('./routes/ldap'), 'LdapRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.approvals,
    staticData: { tab: 'approvals', title: () => t('nav.approvals') },
    component: lazyRouteComponent(() => import('./routes/approvals'), 'ApprovalsRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.reports,
    beforeLoad: ({ search }) => {
      throw redirect({ to: '/reports/$report', params: { report: 'activity' }, search, replace: true });
    },
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: `${paths.reports}/$report`,
    staticData: { tab: 'reports', title: () => t('nav.reports') },
    validateSearch: reportsSearchSchema,
    // Opened now and then: its code is fetched when it is first opened.
    component: lazyRouteComponent(() => import('./routes/reports'), 'ReportsRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.import,
    staticData: { tab: 'import', title: () => t('imports.heading') },
    validateSearch: importSearchSchema,
    // Used now and then, by those who manage targets: fetched when first opened.
    component: lazyRouteComponent(() => import('./routes/import'), 'ImportRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.sso,
    staticData: { tab: 'sso', title: () => t('nav.sso') },
    component: lazyRouteComponent(() => import('./routes/sso-settings'), 'SsoSettingsRoute'),
  }),
  createRoute({
    getParentRoute: () => appRoute,
    path: paths.webhooks,
    staticData: { tab: 'webhooks', title: () => t('webhooks.heading') },
    // Administrators only, and seldom: fetched when first opened.
    component: lazyRouteComponent(() => import('./routes/webhooks'), 'WebhooksRoute'),
  }),
];

const routeTree = rootRoute.addChildren([loginRoute, appRoute.addChildren([homeRoute, ...pageRoutes])]);

// The query client comes with <RouterProvider context> (app/index.tsx).
export const router = createRouter({ routeTree, context: { queryClient: undefined as unknown as QueryClient } });

declare module '@tanstack/react-router' {
  interface Register {
    router: typeof router;
  }
}
