import { Option, type Command } from 'commander';
import { ACCOUNT_STATUSES, type AccountStatus, type PassmanClient } from '@passman/sdk';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { table } from '../table.js';
import { formatted } from '../output.js';

export interface AccountFilter {
  target?: string;
  folder?: string;
  status?: AccountStatus;
  q?: string;
}

/** The filter options `accounts list` and `batch` share. */
export function withAccountFilter(command: Command): Command {
  return command
    .option('--target <name>', 'only the accounts of this target')
    .option('--folder <id>', 'only the accounts in this folder and below it')
    .addOption(new Option('--status <status>', 'only accounts with this status').choices([...ACCOUNT_STATUSES]))
    .option('--q <text>', 'only accounts whose username or target name holds this text');
}

/** Every account the filter matches that the caller may see, page after page. */
export async function* filteredAccounts(pm: PassmanClient, filter: AccountFilter) {
  const targetId = filter.target ? (await pm.findTarget(filter.target)).id : undefined;
  yield* pm.accounts.list.all({
    query: {
      limit: 200,
      ...(targetId ? { targetId } : {}),
      ...(filter.folder ? { folderId: filter.folder } : {}),
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.q ? { q: filter.q } : {}),
    },
  });
}

export function registerLists(program: Command, { io, run }: CommandContext): void {
  const targets = program.command('targets').description('the targets you may see');
  targets
    .command('list')
    .description('list targets')
    .option('--q <text>', 'only targets whose name or address holds this text')
    .action((options: { q?: string }) =>
      run(async (pm, flags) => {
        const rows = [];
        for await (const target of pm.targets.list.all({ query: { limit: 200, ...(options.q ? { q: options.q } : {}) } })) rows.push(target);
        if (flags.output !== 'table') io.stdout(formatted(flags.output, rows));
        else
          io.stdout(
            table(
              ['NAME', 'ADDRESS', 'PORT'],
              rows.map((t) => [t.name, t.address, String(t.port)]),
            ),
          );
        return EXIT.OK;
      }),
    );

  const accounts = program.command('accounts').description('the accounts you may see');
  withAccountFilter(accounts.command('list').description('list accounts')).action((filter: AccountFilter) =>
    run(async (pm, flags) => {
      const rows = [];
      for await (const account of filteredAccounts(pm, filter)) rows.push(account);
      if (flags.output !== 'table') io.stdout(formatted(flags.output, rows));
      else
        io.stdout(
          table(
            ['ACCOUNT', 'STATUS', 'REASON'],
            rows.map((a) => [`${a.target.name}/${a.username}`, a.status, a.statusReason ?? '']),
          ),
        );
      return EXIT.OK;
    }),
  );
  accounts
    .command('show')
    .description('one account')
    .argument('<account>', 'the account as <target>/<username>')
    .action((reference: string) =>
      run(async (pm, flags) => {
        const account = await pm.findAccount(reference);
        if (flags.output !== 'table') io.stdout(formatted(flags.output, account));
        else {
          const facts: [string, string][] = [
            ['account', `${account.target.name}/${account.username}`],
            ['id', account.id],
            ['status', `${account.status}${account.statusReason ? ` (${account.statusReason})` : ''}`],
            ['last checked', account.lastCheckedAt ?? 'never'],
            ['last changed', account.lastChangedAt ?? 'never'],
            ['policy', account.policy?.name ?? 'default'],
          ];
          io.stdout(facts.map(([key, value]) => `${`${key}:`.padEnd(14)}${value}\n`).join(''));
        }
        return EXIT.OK;
      }),
    );
}
