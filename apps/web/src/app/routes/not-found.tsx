import { paths } from '@/config/paths';
import { t } from '@/i18n';
import { Link } from '@tanstack/react-router';

export function NotFoundRoute() {
  return (
    <section className="page page--message" aria-labelledby="page-heading">
      <h1 id="page-heading">{t('notFound.heading')}</h1>
      <p>{t('notFound.body')}</p>
      <p>
        <Link to={paths.home}>{t('notFound.home')}</Link>
      </p>
    </section>
  );
}
