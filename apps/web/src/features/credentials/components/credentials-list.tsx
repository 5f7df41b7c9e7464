import type { Credential } from '@passman/contracts';
import { Badge } from '@/components/ui/badge';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { reasonText } from '@/lib/reason-text';
import { useCredentials } from '../api/get-credentials';
import { credentialLabel } from '../labels';

function CheckResult({ credential }: { credential: Credential }) {
  const check = credential.lastCheck;
  if (!check) return <Badge>{t('credentials.check.never')}</Badge>;
  return (
    <span className="status-cell" title={formatDateTime(check.at)}>
      <Badge tone={check.ok ? 'success' : 'danger'}>{check.ok ? t('credentials.check.true') : t('credentials.check.false')}</Badge>
      {!check.ok && check.code && <span className="status-cell__reason">{reasonText(check.code)}</span>}
    </span>
  );
}

/** The account's credentials with their current version and the last check's true/false. */
export function CredentialsList({ accountId }: { accountId: string }) {
  const query = useCredentials(accountId);
  if (query.isPending) return <Spinner />;
  if (query.isError) return <ErrorState error={query.error} onRetry={() => void query.refetch()} />;
  if (query.data.length === 0) return <p className="muted">{t('credentials.none')}</p>;
  return (
    <table className="mini-table" aria-label={t('credentials.listLabel')}>
      <thead>
        <tr>
          <th scope="col">{t('credentials.col.credential')}</th>
          <th scope="col">{t('credentials.col.version')}</th>
          <th scope="col">{t('credentials.col.status')}</th>
          <th scope="col">{t('credentials.col.fingerprint')}</th>
        </tr>
      </thead>
      <tbody>
        {query.data.map((c) => (
          <tr key={c.id}>
            <td>
              {credentialLabel(c)} {c.weak && <Badge tone="warning">{t('credentials.weak')}</Badge>}
            </td>
            <td>{c.current ? t('credentials.versionN', { n: c.current.version }) : t('table.empty.dash')}</td>
            <td>
              <CheckResult credential={c} />
            </td>
            <td className="mono truncate" title={c.current?.fingerprint ?? undefined}>
              {c.current?.fingerprint ?? t('table.empty.dash')}
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
