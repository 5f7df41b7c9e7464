import type { ImportColumn } from '@passman/contracts';
import { AppError } from '../../lib/app-error.js';
import { KdfTooCostly, loadKdbxweb, MAX_ARGON2, type Kdbxweb } from '../../lib/kdbxweb.js';
import type { SourceRow } from './source-row.js';

const text = (value: Kdbxweb.KdbxEntryField | undefined): string => (value === undefined ? '' : typeof value === 'string' ? value : value.getText());

/** The host of a URL such as ssh://db-01:22 or https://db-01/…; the text itself when it is no URL. */
function hostOf(url: string): string {
  try {
    return new URL(url).hostname;
  } catch {
    return '';
  }
}

/**
 * A KeePass entry in the import columns (IMPORT_COLUMNS): its groups (below the root) are the Group_path, the
 * user name the Account, the title (or the URL's host) the Target; fields named like the import's
 * columns (Target_type, Target) win. Entries of the recycle bin are left out.
 */
function rowOf(entry: Kdbxweb.KdbxEntry, groupPath: string[], row: number): SourceRow {
  const field = (name: string) => text(entry.fields.get(name)).trim();
  const url = field('URL');
  const values: Record<ImportColumn, string> = {
    Target_type: field('Target_type') || 'ssh',
    Target: field('Target') || hostOf(url) || field('Title'),
    Account: field('UserName'),
    Password: text(entry.fields.get('Password')),
    Group_path: groupPath.join('/'),
    Description: field('Notes'),
    URL: url,
  };
  return { row, values };
}

/**
 * Opens a KeePass file (KDBX 4, and 3) with its password and gives its entries as rows. The file
 * is decrypted whole in memory (the format is one encrypted stream); its rows are given one by one.
 */
export async function readKdbx(file: Buffer, password: string | undefined): Promise<AsyncIterable<SourceRow>> {
  const kdbxweb = await loadKdbxweb();
  if (password === undefined || password === '') {
    throw new AppError('KDBX_PASSWORD_WRONG', 'The KeePass file needs its password (the form field kdbxPassword)');
  }
  let db: Kdbxweb.Kdbx;
  try {
    const credentials = new kdbxweb.KdbxCredentials(kdbxweb.ProtectedValue.fromString(password));
    db = await kdbxweb.Kdbx.load(file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer, credentials);
  } catch (error) {
    if (error instanceof KdfTooCostly) {
      throw new AppError(
        'IMPORT_UNREADABLE',
        `The KeePass file asks for more key-derivation memory or time than PassMan allows (${MAX_ARGON2.kib / 1024} MiB, ${MAX_ARGON2.iterations} rounds)`,
      );
    }
    if (error instanceof kdbxweb.KdbxError && error.code === kdbxweb.Consts.ErrorCodes.InvalidKey) {
      throw new AppError('KDBX_PASSWORD_WRONG', 'The KeePass password is wrong (or the file needs a key file, which PassMan does not take)');
    }
    throw new AppError('IMPORT_UNREADABLE', 'The KeePass file cannot be read: it is damaged or of an unsupported version');
  }
  const recycleBin = db.meta.recycleBinUuid?.id;
  return (async function* () {
    let row = 0;
    const walk = function* (group: Kdbxweb.KdbxGroup, path: string[]): Generator<SourceRow> {
      if (recycleBin && group.uuid.id === recycleBin) return;
      for (const entry of group.entries) {
        row += 1;
        yield rowOf(entry, path, row);
      }
      for (const child of group.groups) yield* walk(child, [...path, (child.name ?? '').replaceAll('/', '-')]);
    };
    for (const root of db.groups) yield* walk(root, []);
  })();
}
