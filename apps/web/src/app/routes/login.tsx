import { useNavigate, useRouter, useSearch } from '@tanstack/react-router';
import { AuthLayout } from '@/components/layouts/auth-layout';
import { paths, safeInternalPath } from '@/config/paths';
import { LoginForm } from '@/features/auth/components/login-form';
import { SsoSecondFactor } from '@/features/sso/components/sso-second-factor';
import { SsoSignIn } from '@/features/sso/components/sso-sign-in';
import { t } from '@/i18n';

export function LoginRoute() {
  const search = useSearch({ strict: false }) as { redirectTo?: string; reason?: string; ssoError?: string; mfa?: 'sso' };
  const { history } = useRouter();
  const navigate = useNavigate();
  const redirectTo = safeInternalPath(search.redirectTo, paths.home);
  const expired = search.reason === 'expired';
  if (search.mfa === 'sso') {
    return (
      <AuthLayout title={t('mfa.login.heading')}>
        <SsoSecondFactor onSuccess={() => history.replace(redirectTo)} onStartOver={() => void navigate({ to: paths.login, search: {}, replace: true })} />
      </AuthLayout>
    );
  }
  return (
    <AuthLayout title={t('auth.login.heading')} intro={t('auth.login.intro')}>
      <SsoSignIn ssoError={search.ssoError} />
      <LoginForm notice={expired ? t('auth.login.sessionExpired') : undefined} onSuccess={() => history.replace(redirectTo)} />
    </AuthLayout>
  );
}
