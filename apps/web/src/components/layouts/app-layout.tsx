import { useEffect, type ReactNode } from 'react';
import { LiveRegion } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Logo } from '@/components/ui/logo';
import { TabPanel, Tabs, type TabItem } from '@/components/ui/tabs';
import { paths } from '@/config/paths';
import type { Permission } from '@passman/contracts';
import { useUser } from '@/features/auth/api/get-me';
import { useCan } from '@/features/auth/use-permission';
import { useWaitingCount } from '@/features/approvals/api/get-waiting-count';
import { NotificationBell } from '@/features/alerts/components/notification-bell';
import { useLogout } from '@/features/auth/api/logout';
import { roleLabel } from '@/features/auth/role-label';
import { t } from '@/i18n';
import { Link, useRouterState } from '@tanstack/react-router';

export type MainTab =
  | 'dashboard'
  | 'accounts'
  | 'targets'
  | 'policies'
  | 'jobs'
  | 'audit'
  | 'users'
  | 'groups'
  | 'settings'
  | 'ldap'
  | 'approvals'
  | 'sso'
  | 'reports'
  | 'webhooks'
  | 'import';

const PANEL_ID = 'main-panel';

/** The main tabs the user's role opens; Accounts and Targets carry the folder chosen in the tree from one to the other. */
function mainTabs(can: (permission: Permission) => boolean, folder: string | undefined, waiting: number): TabItem[] {
  const inFolder = folder ? { folder } : undefined;
  const tabs: (TabItem & { needs?: Permission })[] = [
    { id: 'dashboard', label: t('nav.dashboard'), href: paths.home, needs: 'accounts.view' },
    { id: 'accounts', label: t('nav.accounts'), href: paths.accounts, search: inFolder },
    { id: 'targets', label: t('nav.targets'), href: paths.targets, search: inFolder },
    { id: 'import', label: t('nav.import'), href: paths.import, needs: 'targets.manage' },
    { id: 'policies', label: t('nav.policies'), href: paths.policies, needs: 'policies.view' },
    { id: 'jobs', label: t('nav.jobs'), href: paths.jobs, needs: 'jobs.view' },
    { id: 'audit', label: t('nav.audit'), href: paths.audit, needs: 'audit.view' },
    { id: 'reports', label: t('nav.reports'), href: paths.reports, search: inFolder, needs: 'accounts.view' },
    { id: 'users', label: t('nav.users'), href: paths.users, needs: 'users.manage' },
    { id: 'groups', label: t('nav.groups'), href: paths.groups, needs: 'users.manage' },
    { id: 'settings', label: t('nav.settings'), href: paths.settings, needs: 'users.manage' },
    { id: 'ldap', label: t('nav.ldap'), href: paths.ldap, needs: 'users.manage' },
    {
      id: 'approvals',
      label: t('nav.approvals'),
      href: paths.approvals,
      ...(waiting > 0 ? { badge: { count: waiting, label: t('nav.approvalsWaiting', { count: waiting }) } } : {}),
    },
    { id: 'sso', label: t('nav.sso'), href: paths.sso, needs: 'users.manage' },
    { id: 'webhooks', label: t('nav.webhooks'), href: paths.webhooks, needs: 'webhooks.manage' },
  ];
  return tabs.filter((tab) => !tab.needs || can(tab.needs));
}

function UserMenu() {
  const user = useUser();
  const logout = useLogout();
  return (
    <div className="user-menu">
      <LiveRegion role="alert" className="user-menu__error">
        {logout.isError && t('auth.logoutFailed')}
      </LiveRegion>
      <p className="user-menu__who">
        <span className="sr-only">{t('auth.signedInAs', { name: user.displayName || user.username })}</span>
        <span aria-hidden="true" className="user-menu__name">
          {user.displayName || user.username}
        </span>
        <span className="user-menu__role">{roleLabel(user.role)}</span>
      </p>
      <Link to={paths.security} className="user-menu__link">
        {t('nav.security')}
      </Link>
      <Button size="sm" variant="ghost" pending={logout.isPending} onClick={() => logout.mutate()}>
        {t('auth.logout')}
      </Button>
    </div>
  );
}

/**
 * The signed-in frame: header, the main tabs, and the selected tab's page in the panel.
 * `tab` is undefined on pages that are not a main tab (e.g. not found).
 */
export function AppLayout({ tab, title, children }: { tab?: MainTab; title: string; children: ReactNode }) {
  const can = useCan();
  const waiting = useWaitingCount({ enabled: can('approvals.approve') }).data?.count ?? 0;
  const folder = useRouterState({ select: (state) => (state.matches[state.matches.length - 1]?.search as { folder?: string } | undefined)?.folder });
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title]);
  return (
    <div className="app-layout">
      <a className="skip-link" href={`#${PANEL_ID}`}>
        {t('app.skipToContent')}
      </a>
      <header className="app-header">
        <Link to={paths.accounts} className="app-header__brand">
          <Logo />
          <span>{t('app.title')}</span>
        </Link>
        <NotificationBell enabled={can('accounts.view')} />
        <UserMenu />
      </header>
      <div className="app-nav">
        <Tabs label={t('nav.main')} items={mainTabs(can, folder, waiting)} selectedId={tab} panelId={PANEL_ID} />
      </div>
      <main className="app-main">
        {tab ? (
          <TabPanel id={PANEL_ID} selectedId={tab}>
            {children}
          </TabPanel>
        ) : (
          <div id={PANEL_ID} tabIndex={-1}>
            {children}
          </div>
        )}
      </main>
    </div>
  );
}
