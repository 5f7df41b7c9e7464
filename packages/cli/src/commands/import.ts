import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import { Option, type Command } from 'commander';
import { hasImportEnded, IMPORT_FORMATS, type Import, type ImportOutcome, type ImportRow, type PassmanClient } from '@passman/sdk';
import type { CliIo, CommandContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { formatted } from '../output.js';
import { progressReporter } from '../progress.js';
import { table } from '../table.js';

interface ImportOptions {
  dryRun?: boolean;
  folder?: string;
  format?: (typeof IMPORT_FORMATS)[number];
  kdbxPasswordFile?: string;
  kdbxPasswordStdin?: boolean;
}

/** How often a real run's progress is read. */
const POLL_MS = 500;

function countsLine(run: Import): string {
  const { total, processed, create, update, unchanged, skip, failed } = run.counts;
  const done = run.dryRun ? total : processed;
  return `import ${run.id}: ${done}/${total} rows (${create} create, ${update} update, ${unchanged} unchanged, ${skip} skip, ${failed} failed)`;
}

/** The import's rows, page by page: every row, or those of one outcome. */
async function rowsOf(pm: PassmanClient, id: string, outcome?: ImportOutcome): Promise<ImportRow[]> {
  const rows: ImportRow[] = [];
  let cursor: string | undefined;
  do {
    const page = await pm.imports.get({ params: { id }, query: { limit: 200, ...(cursor ? { cursor } : {}), ...(outcome ? { outcome } : {}) } });
    rows.push(...page.rows.items);
    cursor = page.rows.nextCursor ?? undefined;
  } while (cursor);
  return rows;
}

/** The KeePass password: from a file or stdin only, never the command line (other users see argv in `ps`). */
async function kdbxPassword(io: CliIo, options: ImportOptions): Promise<string | undefined> {
  if (options.kdbxPasswordFile && options.kdbxPasswordStdin) throw new CliError(EXIT.USAGE, 'give the KeePass password one way: a file or stdin');
  if (options.kdbxPasswordFile) return (await readFile(options.kdbxPasswordFile, 'utf8')).replace(/\r?\n$/, '');
  if (options.kdbxPasswordStdin) {
    if (io.stdinIsTty) return io.promptSecret('KeePass password: ');
    return (await io.readStdin()).replace(/\r?\n$/, '');
  }
  return undefined;
}

export function registerImport(program: Command, { io, run }: CommandContext): void {
  program
    .command('import')
    .description(
      'import secrets from a CSV, XLSX or KeePass (KDBX 4) file into a folder; with --dry-run, only say per row what would be created, updated or skipped and why. Exits 1 when a row was (or would be) skipped or failed',
    )
    .argument('<file>', 'the file to import (CSV with the columns Target_type, Target, Account, Password, Group_path, Description, URL; XLSX; KDBX 4)')
    .option('--dry-run', 'change nothing: say what each row would do')
    .option('--folder <id>', 'the folder to import into (default: “Imported” under the root)')
    .addOption(new Option('--format <format>', 'the file’s format (default: recognised from its content)').choices([...IMPORT_FORMATS]))
    .option('--kdbx-password-file <path>', 'read the KeePass file’s password from this file')
    .option('--kdbx-password-stdin', 'read the KeePass file’s password from stdin')
    .action((file: string, options: ImportOptions) =>
      run(async (pm, flags) => {
        const content = await readFile(file).catch((error: NodeJS.ErrnoException) => {
          throw new CliError(EXIT.USAGE, `cannot read ${file}: ${error.code ?? error.message}`);
        });
        const form = new FormData();
        form.set('file', new Blob([content]), basename(file));
        form.set('dryRun', options.dryRun ? 'true' : 'false');
        if (options.folder) form.set('folderId', options.folder);
        if (options.format) form.set('format', options.format);
        const password = await kdbxPassword(io, options);
        if (password !== undefined) form.set('kdbxPassword', password);

        let result = await pm.imports.create({ form });
        if (!result.dryRun) {
          const progress = flags.output === 'table' ? progressReporter(io) : undefined;
          while (!hasImportEnded(result.state)) {
            progress?.update(countsLine(result), result.counts.processed, result.counts.total);
            await new Promise((resolve) => setTimeout(resolve, POLL_MS));
            result = await pm.imports.get({ params: { id: result.id }, query: { limit: 1 } });
          }
          progress?.update(countsLine(result), result.counts.processed, result.counts.total);
          progress?.end();
        }
        // A dry run shows every row; a real run, of what may be thousands, the rows that did not go in.
        const rows = result.dryRun ? await rowsOf(pm, result.id) : [...(await rowsOf(pm, result.id, 'skip')), ...(await rowsOf(pm, result.id, 'failed'))];
        if (flags.output !== 'table') io.stdout(formatted(flags.output, { ...result, rows }));
        else {
          io.stdout(
            table(
              ['ROW', 'OUTCOME', 'TARGET', 'ACCOUNT', 'GROUP_PATH', 'REASON'],
              rows.map((r) => [String(r.row), r.outcome, r.target, r.account, r.groupPath, r.message ?? r.reason ?? '']),
            ),
          );
          io.stdout(`${countsLine(result)}${result.dryRun ? ' — dry run, nothing changed' : ''}\n`);
        }
        if (result.state === 'failed') throw new CliError(EXIT.FAILED, `the import stopped: ${result.errorCode ?? 'failed'}`);
        return result.counts.skip + result.counts.failed > 0 ? EXIT.NOT_IN_SYNC : EXIT.OK;
      }),
    );
}
