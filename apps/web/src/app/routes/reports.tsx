import type { ReportName } from '@passman/contracts';
import { Link, useParams } from '@tanstack/react-router';
import { ExportPanel } from '@/features/reports/components/export-panel';
import { ReportView } from '@/features/reports/components/report-view';
import { REPORT_PAGES, type ReportPage } from '@/features/reports/reports-search';
import { t } from '@/i18n';
import { Page } from './page';

/** The Reports tab: a page per report and the Export page, listed on the side; the folder chosen goes along. */
export function ReportsRoute() {
  const { report } = useParams({ strict: false }) as { report?: string };
  const current = (REPORT_PAGES as readonly string[]).includes(report ?? '') ? (report as ReportPage) : 'activity';
  return (
    <Page heading={t('reports.heading')}>
      <div className="reports">
        <nav aria-label={t('reports.nav')} className="reports__nav">
          <ul>
            {REPORT_PAGES.map((page) => (
              <li key={page}>
                <Link
                  to="/reports/$report"
                  params={{ report: page }}
                  search={(previous: Record<string, unknown>) => ({ folder: previous.folder as string | undefined })}
                  aria-current={page === current ? 'page' : undefined}
                  className="reports__link"
                >
                  {t(`reports.name.${page}`)}
                </Link>
              </li>
            ))}
          </ul>
        </nav>
        <div className="reports__body">
          <h2 className="reports__title">{t(`reports.name.${current}`)}</h2>
          <p className="muted">{t(`reports.about.${current}`)}</p>
          {current === 'export' ? <ExportPanel /> : <ReportView key={current} name={current as ReportName} />}
        </div>
      </div>
    </Page>
  );
}
