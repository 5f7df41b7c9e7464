import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { CheckboxField } from '@/components/ui/checkbox-field';
import { TextField } from '@/components/ui/text-field';
import { useCan } from '@/features/auth/use-permission';
import { t } from '@/i18n';
import { errorMessage } from '@/lib/error-message';
import { useUrlSearch } from '@/lib/url-state';
import { useExportKdbx } from '../api/export-kdbx';
import { useExportMetadata } from '../api/export-metadata';
import type { ReportsSearch } from '../reports-search';
import { FolderFilter } from './report-view';

/**
 * Exports of a folder (and below it) or the whole vault: the accounts' metadata as CSV, and —
 * for those who may check out every account in it — the secrets in a KeePass file under a
 * password typed here, after a fresh authentication when the session's is too old.
 */
export function ExportPanel() {
  const [search, setSearch] = useUrlSearch<ReportsSearch>();
  const can = useCan();
  const metadata = useExportMetadata();
  const kdbx = useExportKdbx();
  const [password, setPassword] = useState('');
  const [confirm, setConfirm] = useState('');
  const [reason, setReason] = useState('');
  const [done, setDone] = useState(false);
  const filter = { folderId: search.folder, recursive: search.folder && search.flat ? ('false' as const) : undefined, q: search.q };
  const mismatch = confirm !== '' && confirm !== password;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mismatch || password.length < 12) return;
    setDone(false);
    kdbx.mutate(
      { password, folderId: filter.folderId, recursive: !filter.recursive, q: filter.q, reason: reason.trim() || undefined },
      {
        onSuccess: () => {
          setPassword('');
          setConfirm('');
          setDone(true);
        },
      },
    );
  }

  return (
    <div className="browser export-panel">
      <div className="toolbar">
        <FolderFilter value={search.folder ?? ''} onChange={(folder) => setSearch({ folder: folder || undefined })} />
        <CheckboxField label={t('reports.export.flat')} checked={!!search.flat} onChange={(e) => setSearch({ flat: e.target.checked ? '1' : undefined })} />
      </div>
      <section aria-labelledby="export-metadata-heading" className="export-panel__section">
        <h2 id="export-metadata-heading">{t('reports.export.metadataHeading')}</h2>
        <p className="muted">{t('reports.export.metadataBody')}</p>
        <Button pending={metadata.isPending} onClick={() => metadata.mutate(filter)}>
          {t('reports.export.metadataButton')}
        </Button>
        {metadata.isError ? <Alert>{errorMessage(metadata.error)}</Alert> : null}
      </section>
      {can('credentials.checkout') ? (
        <section aria-labelledby="export-kdbx-heading" className="export-panel__section">
          <h2 id="export-kdbx-heading">{t('reports.export.kdbxHeading')}</h2>
          <p className="muted">{t('reports.export.kdbxBody')}</p>
          <form onSubmit={submit} className="export-panel__form">
            <TextField
              label={t('reports.export.password')}
              type="password"
              autoComplete="new-password"
              value={password}
              minLength={12}
              required
              hint={t('reports.export.passwordHint')}
              onChange={(e) => setPassword(e.target.value)}
            />
            <TextField
              label={t('reports.export.confirm')}
              type="password"
              autoComplete="new-password"
              value={confirm}
              required
              error={mismatch ? t('reports.export.mismatch') : undefined}
              onChange={(e) => setConfirm(e.target.value)}
            />
            <TextField label={t('reports.export.reason')} value={reason} onChange={(e) => setReason(e.target.value)} />
            <Button type="submit" variant="primary" pending={kdbx.isPending}>
              {t('reports.export.kdbxButton')}
            </Button>
          </form>
          {kdbx.isError ? <Alert>{errorMessage(kdbx.error)}</Alert> : null}
          {done ? <Alert tone="success">{t('reports.export.kdbxDone')}</Alert> : null}
        </section>
      ) : null}
    </div>
  );
}
