import type { ReportBucket } from '@passman/contracts';
import { t } from '@/i18n';

const ROW = 26;
const LABEL = 180;
const WIDTH = 640;
const MAX_BARS = 31;

/**
 * A horizontal bar per group (a reason code, a policy, a day, a holder): plain SVG, no chart
 * library for a dozen bars. The numbers are written beside the bars and the figure has a text
 * alternative, so nothing is shown only as a length.
 */
export function BarChart({ title, buckets }: { title: string; buckets: readonly ReportBucket[] }) {
  const shown = buckets.slice(0, MAX_BARS);
  const max = Math.max(1, ...shown.map((b) => b.count));
  const barSpace = WIDTH - LABEL - 60;
  const height = shown.length * ROW + 8;
  const summary = shown.map((b) => `${b.key}: ${b.count}`).join(', ');
  return (
    <figure className="report-chart">
      <figcaption className="report-chart__title">{title}</figcaption>
      {shown.length === 0 ? (
        <p className="muted">{t('reports.chart.empty')}</p>
      ) : (
        <svg role="img" aria-label={`${title}: ${summary}`} viewBox={`0 0 ${WIDTH} ${height}`} width="100%" style={{ maxWidth: WIDTH }}>
          {shown.map((b, i) => {
            const y = i * ROW + 4;
            const length = Math.max(2, Math.round((b.count / max) * barSpace));
            return (
              <g key={b.key} data-testid="report-bar">
                <text x={LABEL - 8} y={y + ROW / 2 + 4} textAnchor="end" fontSize="12" fill="currentColor">
                  {b.key.length > 26 ? `${b.key.slice(0, 25)}…` : b.key}
                </text>
                <rect x={LABEL} y={y + 3} width={length} height={ROW - 8} rx="3" fill="var(--color-accent, #2f6fdf)" />
                <text x={LABEL + length + 6} y={y + ROW / 2 + 4} fontSize="12" fill="currentColor">
                  {b.count}
                </text>
              </g>
            );
          })}
        </svg>
      )}
      {buckets.length > MAX_BARS ? <p className="muted">{t('reports.chart.more', { count: buckets.length - MAX_BARS })}</p> : null}
    </figure>
  );
}
