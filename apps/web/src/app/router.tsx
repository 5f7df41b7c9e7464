import { useLayoutEffect, type ReactNode } from 'react';
import { AppLayout, type MainTab } from '@/components/layouts/app-layout';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { loginPath, paths } from '@/config/paths';
import { useMe } from '@/features/auth/api/get-me';
import { t } from '@/i18n';
import { navigate, safeInternalPath, useLocation } from '@/lib/router';
import { AccountsRoute } from './routes/accounts';
import { LoginRoute } from './routes/login';
import { NotFoundRoute } from './routes/not-found';
import { AccountActionsProvider } from './account-actions-provider';
import { AuditRoute } from './routes/audit';
import { JobsRoute } from './routes/jobs';
import { PoliciesRoute } from './routes/policies';
import { TargetsRoute } from './routes/targets';
import { UsersRoute } from './routes/users';
import { TargetActionsProvider } from './target-actions-provider';

/** Signed-in pages: path → tab, title and page. Add a page here (and in `config/paths`). */
const appRoutes: Record<string, { tab?: MainTab; title: () => string; page: () => ReactNode }> = {
  [paths.accounts]: { tab: 'accounts', title: () => t('nav.accounts'), page: () => <AccountsRoute /> },
  [paths.targets]: { tab: 'targets', title: () => t('nav.targets'), page: () => <TargetsRoute /> },
  [paths.policies]: { tab: 'policies', title: () => t('nav.policies'), page: () => <PoliciesRoute /> },
  [paths.jobs]: { tab: 'jobs', title: () => t('nav.jobs'), page: () => <JobsRoute /> },
  [paths.audit]: { tab: 'audit', title: () => t('nav.audit'), page: () => <AuditRoute /> },
  [paths.users]: { tab: 'users', title: () => t('nav.users'), page: () => <UsersRoute /> },
};

function Redirect({ to }: { to: string }) {
  useLayoutEffect(() => navigate(to, { replace: true }), [to]);
  return null;
}

function FullPage({ children }: { children: ReactNode }) {
  return <div className="full-page">{children}</div>;
}

export function AppRouter() {
  const { pathname, search } = useLocation();
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

  const session = me.data;
  if (pathname === paths.login) {
    if (session) {
      const redirectTo = new URLSearchParams(search).get('redirectTo');
      return <Redirect to={safeInternalPath(redirectTo, paths.accounts)} />;
    }
    return <LoginRoute />;
  }
  if (!session) return <Redirect to={loginPath(pathname + search)} />;
  if (pathname === paths.home) return <Redirect to={paths.accounts} />;

  const route = appRoutes[pathname];
  return (
    <AccountActionsProvider>
      <TargetActionsProvider>
        <AppLayout tab={route?.tab} title={route ? route.title() : t('notFound.heading')}>
          {route ? route.page() : <NotFoundRoute />}
        </AppLayout>
      </TargetActionsProvider>
    </AccountActionsProvider>
  );
}
