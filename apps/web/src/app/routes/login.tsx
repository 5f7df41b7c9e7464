import { AuthLayout } from '@/components/layouts/auth-layout';
import { paths } from '@/config/paths';
import { LoginForm } from '@/features/auth/components/login-form';
import { t } from '@/i18n';
import { navigate, safeInternalPath, useSearchParams } from '@/lib/router';

export function LoginRoute() {
  const params = useSearchParams();
  const redirectTo = safeInternalPath(params.get('redirectTo'), paths.accounts);
  const expired = params.get('reason') === 'expired';
  return (
    <AuthLayout title={t('auth.login.heading')} intro={t('auth.login.intro')}>
      <LoginForm
        notice={expired ? t('auth.login.sessionExpired') : undefined}
        onSuccess={() => navigate(redirectTo, { replace: true })}
      />
    </AuthLayout>
  );
}
