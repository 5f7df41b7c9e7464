import { OIDC_LOGIN_ERRORS, type OidcLoginError } from '@passman/contracts';
import { Alert, LiveRegion } from '@/components/ui/alert';
import { t } from '@/i18n';
import { useLoginOptions } from '../api/get-login-options';

const isLoginError = (code: string | undefined): code is OidcLoginError => (OIDC_LOGIN_ERRORS as readonly string[]).includes(code ?? '');

/**
 * "Sign in with <provider>" above the password form when single sign-on is on: a plain link, as
 * the browser must leave for the provider. A login the API refused comes back as `?ssoError=CODE`.
 */
export function SsoSignIn({ ssoError }: { ssoError?: string | undefined }) {
  const options = useLoginOptions();
  const sso = options.data?.sso;
  // Nothing to offer and nothing to report: the login page stays as it was.
  if (!sso && !ssoError) return null;
  return (
    <div className="sso-sign-in">
      <LiveRegion role="alert">{ssoError && <Alert>{isLoginError(ssoError) ? t(`sso.error.${ssoError}`) : t('sso.error.generic')}</Alert>}</LiveRegion>
      {sso && (
        <a className="btn btn--primary sso-sign-in__button" href={sso.loginUrl}>
          {t('sso.signInWith', { name: sso.providerName })}
        </a>
      )}
      {sso && options.data?.localLoginEnabled === false && <p className="sso-sign-in__note">{t('sso.localLoginOff')}</p>}
      {sso && <p className="sso-sign-in__or">{t('sso.orPassword')}</p>}
    </div>
  );
}
