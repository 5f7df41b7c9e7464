import {
  IMPORT_COLUMNS,
  IMPORT_FORMATS,
  REQUIRED_IMPORT_COLUMNS,
  type Import,
  type ImportColumn,
  type ImportFormat,
  type ImportMapping,
} from '@passman/contracts';
import { useState, type FormEvent } from 'react';
import { Alert } from '@/components/ui/alert';
import { Button } from '@/components/ui/button';
import { Field } from '@/components/ui/field';
import { FormAlert } from '@/components/ui/form-alert';
import { SelectField } from '@/components/ui/select-field';
import { TextField } from '@/components/ui/text-field';
import { useFolders } from '@/features/folders/api/get-folders';
import { folderChoices } from '@/features/folders/folder-tree';
import { t } from '@/i18n';
import { isApiError } from '@/lib/api-client';
import { useCreateImport, type ImportInput } from '../api/create-import';
import { ImportCounts } from './import-counts';
import { ImportRowsTable } from './import-rows-table';

type Step = { name: 'upload' } | { name: 'map'; headers: string[] } | { name: 'preview'; dryRun: Import };

/** Header text compared loosely, as the server does: "target type" and "Target_Type" are one column. */
const normalize = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s_-]+/g, '');

/** The mapping the server would guess: each import column to the header of the same name. */
function guessMapping(headers: string[]): ImportMapping {
  const mapping: ImportMapping = {};
  for (const column of IMPORT_COLUMNS) {
    const header = headers.find((h) => normalize(h) === normalize(column));
    if (header !== undefined) mapping[column] = header;
  }
  return mapping;
}

/**
 * The Import wizard: upload a file (CSV, XLSX or KeePass) with its destination folder, map the
 * file's columns to the import's, preview what each row would do (a dry run), then run it
 * (`onStarted` puts the run in the address, where its progress is followed).
 */
export function ImportWizard({ onStarted }: { onStarted: (run: Import, expectedRows: number) => void }) {
  const folders = useFolders();
  const create = useCreateImport();
  const [step, setStep] = useState<Step>({ name: 'upload' });
  const [file, setFile] = useState<File | null>(null);
  const [format, setFormat] = useState<ImportFormat | ''>('');
  const [folderId, setFolderId] = useState('');
  const [kdbxPassword, setKdbxPassword] = useState('');
  const [mapping, setMapping] = useState<ImportMapping>({});
  const isKdbx = format === 'kdbx' || (format === '' && file?.name.toLowerCase().endsWith('.kdbx') === true);

  const input = (dryRun: boolean, chosen: ImportMapping): ImportInput => ({
    file: file!,
    format: format || undefined,
    folderId: folderId || undefined,
    mapping: chosen,
    kdbxPassword: isKdbx ? kdbxPassword : undefined,
    dryRun,
  });

  function preview(chosen: ImportMapping): void {
    create.mutate(input(true, chosen), {
      onSuccess: (dryRun) => {
        if (Object.keys(chosen).length === 0) setMapping(guessMapping(dryRun.headers));
        setStep({ name: 'preview', dryRun });
      },
      onError: (error) => {
        // Columns the file lacks: show its headers so the user maps them.
        const headers = isApiError(error) && error.code === 'IMPORT_COLUMN_MISSING' ? error.extensions.headers : undefined;
        if (Array.isArray(headers)) {
          const all = headers.map(String);
          setMapping({ ...guessMapping(all), ...chosen });
          setStep({ name: 'map', headers: all });
        }
      },
    });
  }

  function run(expectedRows: number): void {
    create.mutate(input(false, mapping), { onSuccess: (started) => onStarted(started, expectedRows) });
  }

  if (step.name === 'map' || step.name === 'preview') {
    const headers = step.name === 'map' ? step.headers : step.dryRun.headers;
    return (
      <div className="import-wizard">
        {headers.length > 0 && (
          <form
            className="form"
            aria-label={t('imports.map.formLabel')}
            onSubmit={(event: FormEvent) => {
              event.preventDefault();
              preview(mapping);
            }}
            noValidate
          >
            <h2 className="import-wizard__step">{t('imports.map.heading')}</h2>
            <p>{t('imports.map.hint')}</p>
            {IMPORT_COLUMNS.map((column: ImportColumn) => (
              <SelectField
                key={column}
                label={(REQUIRED_IMPORT_COLUMNS as readonly string[]).includes(column) ? t('imports.map.required', { column }) : column}
                value={mapping[column] ?? ''}
                options={[{ value: '', label: t('imports.map.none') }, ...headers.map((h) => ({ value: h, label: h }))]}
                onChange={(e) => setMapping((m) => ({ ...m, [column]: e.target.value || undefined }))}
              />
            ))}
            {create.isError && !create.isPending && <FormAlert error={create.error} />}
            <div className="dialog__inline-footer">
              <Button onClick={() => setStep({ name: 'upload' })}>{t('imports.back')}</Button>
              <Button type="submit" variant={step.name === 'map' ? 'primary' : 'secondary'} pending={create.isPending && create.variables?.dryRun === true}>
                {t('imports.preview')}
              </Button>
            </div>
          </form>
        )}
        {step.name === 'preview' && (
          <section aria-label={t('imports.preview.heading')}>
            <h2 className="import-wizard__step">{t('imports.preview.heading')}</h2>
            <ImportCounts run={step.dryRun} />
            <ImportRowsTable importId={step.dryRun.id} label={t('imports.preview.rows')} />
            {create.isError && create.variables?.dryRun === false && <FormAlert error={create.error} />}
            <div className="dialog__inline-footer">
              {headers.length === 0 && <Button onClick={() => setStep({ name: 'upload' })}>{t('imports.back')}</Button>}
              <Button
                variant="primary"
                pending={create.isPending && create.variables?.dryRun === false}
                disabled={step.dryRun.counts.create + step.dryRun.counts.update === 0}
                onClick={() => run(step.dryRun.counts.total)}
              >
                {t('imports.run')}
              </Button>
            </div>
          </section>
        )}
      </div>
    );
  }

  const choices = folders.data ? folderChoices(folders.data.items, { right: 'manage' }) : [];
  return (
    <form
      className="form import-wizard"
      aria-label={t('imports.upload.formLabel')}
      onSubmit={(event: FormEvent) => {
        event.preventDefault();
        setMapping({});
        preview({});
      }}
      noValidate
    >
      <h2 className="import-wizard__step">{t('imports.upload.heading')}</h2>
      <p>{t('imports.upload.hint')}</p>
      <Field label={t('imports.upload.file')} hint={t('imports.upload.fileHint')}>
        {(ids) => (
          <input
            id={ids.id}
            aria-describedby={ids.describedBy}
            type="file"
            accept=".csv,.xlsx,.kdbx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
            onChange={(e) => setFile(e.target.files?.[0] ?? null)}
          />
        )}
      </Field>
      <SelectField
        label={t('imports.upload.format')}
        value={format}
        options={[{ value: '', label: t('imports.upload.formatAuto') }, ...IMPORT_FORMATS.map((f) => ({ value: f, label: t(`imports.format.${f}`) }))]}
        onChange={(e) => setFormat(e.target.value as ImportFormat | '')}
      />
      <SelectField
        label={t('imports.upload.folder')}
        value={folderId}
        options={[{ value: '', label: t('imports.upload.folderDefault') }, ...choices]}
        onChange={(e) => setFolderId(e.target.value)}
      />
      {isKdbx && (
        <TextField
          label={t('imports.upload.kdbxPassword')}
          type="password"
          autoComplete="off"
          value={kdbxPassword}
          onChange={(e) => setKdbxPassword(e.target.value)}
        />
      )}
      {create.isError && !create.isPending && <FormAlert error={create.error} />}
      {file === null && <Alert tone="info">{t('imports.upload.noFile')}</Alert>}
      <div className="dialog__inline-footer">
        <Button type="submit" variant="primary" pending={create.isPending} disabled={file === null || (isKdbx && kdbxPassword === '')}>
          {t('imports.next')}
        </Button>
      </div>
    </form>
  );
}
