import type { SessionResponse } from '@passman/contracts';
import { Alert, LiveRegion } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { t } from '@/i18n';
import { SecondFactorForm } from '@/features/mfa/components/second-factor-form';
import { usePendingLogin } from '@/features/mfa/api/mfa';

/**
 * After the identity provider, PassMan's own second factor for a user who has one. The API left
 * the login's challenge in an HttpOnly cookie; this screen only learns which factors to offer.
 */
export function SsoSecondFactor({ onSuccess, onStartOver }: { onSuccess: (session: SessionResponse) => void; onStartOver: () => void }) {
  const pending = usePendingLogin();
  if (pending.isPending) return <p role="status">{t('mfa.login.ssoLoading')}</p>;
  if (pending.isError) {
    return (
      <LiveRegion role="alert">
        <Alert action={<Button onClick={onStartOver}>{t('mfa.login.startOver')}</Button>}>{t('mfa.login.ssoExpired')}</Alert>
      </LiveRegion>
    );
  }
  return <SecondFactorForm challenge={pending.data} intro={t('mfa.login.ssoIntro')} onSuccess={onSuccess} onStartOver={onStartOver} />;
}
