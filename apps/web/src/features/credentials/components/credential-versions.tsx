import type { Credential, CredentialVersion } from '@passman/contracts';
import { Badge, type BadgeTone } from '@/components/ui/badge';
import { Button } from '@/components/ui/button';
import { ErrorState } from '@/components/ui/error-state';
import { Spinner } from '@/components/ui/spinner';
import { t } from '@/i18n';
import { formatDateTime } from '@/lib/format';
import { useCredentialVersions } from '../api/get-credential-versions';
import { credentialLabel } from '../labels';

const stateTone: Record<CredentialVersion['state'], BadgeTone> = { CURRENT: 'success', PENDING: 'warning', RETIRED: 'neutral', FAILED: 'danger' };

/**
 * The versions of one credential, newest first: state, origin, who made it and when — never a value.
 * With `onRestore`, each retired version has a Restore button (the caller decided the account's rights allow one).
 */
export function CredentialVersions({ credential, onRestore }: { credential: Credential; onRestore?: (version: CredentialVersion) => void }) {
  const query = useCredentialVersions(credential.id);
  const caption = credentialLabel(credential);
  return (
    <section className="history-section" aria-label={caption}>
      <h3 className="section-title">{caption}</h3>
      {query.isPending ? (
        <Spinner />
      ) : query.isError ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <table className="mini-table" aria-label={t('history.versionsOf', { credential: caption })}>
          <thead>
            <tr>
              <th scope="col">{t('history.col.version')}</th>
              <th scope="col">{t('history.col.state')}</th>
              <th scope="col">{t('history.col.origin')}</th>
              <th scope="col">{t('history.col.by')}</th>
              <th scope="col">{t('history.col.created')}</th>
              {onRestore && <th scope="col">{t('history.col.actions')}</th>}
            </tr>
          </thead>
          <tbody>
            {query.data.map((v) => (
              <tr key={v.id}>
                <td>{v.version}</td>
                <td>
                  <Badge tone={stateTone[v.state]}>{t(`history.state.${v.state}`)}</Badge>
                </td>
                <td>{v.restoredFrom !== null ? t('history.restoredFrom', { version: v.restoredFrom }) : t(`history.origin.${v.origin}`)}</td>
                <td>{v.createdBy?.username ?? t('table.empty.dash')}</td>
                <td>{formatDateTime(v.createdAt)}</td>
                {onRestore && (
                  <td>
                    {v.state === 'RETIRED' && (
                      <Button size="sm" aria-label={t('history.restoreLabel', { version: v.version })} onClick={() => onRestore(v)}>
                        {t('history.restore')}
                      </Button>
                    )}
                  </td>
                )}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
