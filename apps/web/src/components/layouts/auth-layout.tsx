import { useEffect, type ReactNode } from 'react';
import { Logo } from '@/components/ui/logo';
import { t } from '@/i18n';

/** A centred card for the pages before sign-in. */
export function AuthLayout({ title, intro, children }: { title: string; intro?: string; children: ReactNode }) {
  useEffect(() => {
    document.title = `${title} · ${t('app.title')}`;
  }, [title]);
  return (
    <main className="auth-layout">
      <div className="auth-card">
        <div className="auth-card__brand">
          <Logo size={36} />
          <div>
            <p className="auth-card__product">{t('app.title')}</p>
            <p className="auth-card__tagline">{t('app.tagline')}</p>
          </div>
        </div>
        <h1 className="auth-card__title">{title}</h1>
        {intro && <p className="auth-card__intro">{intro}</p>}
        {children}
      </div>
    </main>
  );
}
