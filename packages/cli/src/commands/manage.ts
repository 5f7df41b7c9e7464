import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { formatted } from '../output.js';

/** Adding targets and accounts, pinning host keys, verifying the audit trail. */
export function registerManage(program: Command, { io, run }: CommandContext): void {
  const targets = program.commands.find((command) => command.name() === 'targets')!;
  targets
    .command('add')
    .description('register a target (then scan and approve its host key)')
    .argument('<name>', 'a unique name')
    .argument('<address>', 'host name or IP address')
    .option('--port <port>', 'SSH port', '22')
    .option('--folder <id>', 'the folder it goes in (default: the root)')
    .action((name: string, address: string, options: { port: string; folder?: string }) =>
      run(async (pm, flags) => {
        const port = Number(options.port);
        const target = await pm.targets.create({ body: { name, address, port, ...(options.folder ? { folderId: options.folder } : {}) } });
        io.stdout(flags.output !== 'table' ? formatted(flags.output, target) : `added target ${target.name} (${target.id})\n`);
        return EXIT.OK;
      }),
    );
  targets
    .command('scan')
    .description('connect and show the host key the target offers (sends no credential)')
    .argument('<target>', 'the target’s name')
    .action((name: string) =>
      run(async (pm, flags) => {
        const target = await pm.findTarget(name);
        const key = await pm.hostKeys.scan({ params: { id: target.id } });
        io.stdout(flags.output !== 'table' ? formatted(flags.output, key) : `${key.algorithm} ${key.fingerprint} ${key.status}\n`);
        return EXIT.OK;
      }),
    );
  targets
    .command('approve')
    .description('pin the host key with this fingerprint (compare it with ssh-keygen -l on the host first)')
    .argument('<target>', 'the target’s name')
    .argument('<host-key-fingerprint>', 'SHA256:… as ssh-keygen -l prints it')
    .action((name: string, fingerprint: string) =>
      run(async (pm, flags) => {
        const target = await pm.findTarget(name);
        const pinned = await pm.hostKeys.approve({ params: { id: target.id }, body: { fingerprint } });
        io.stdout(flags.output !== 'table' ? formatted(flags.output, pinned) : `pinned ${pinned.fingerprint} for ${target.name}\n`);
        return EXIT.OK;
      }),
    );

  const accounts = program.commands.find((command) => command.name() === 'accounts')!;
  accounts
    .command('add')
    .description('register an account; its password piped on --stdin, or --generate (stored only: reset it to change it on the target)')
    .argument('<account>', 'the account as <target>/<username>')
    .option('--stdin', 'read its current password from stdin')
    .option('--generate', 'generate a password from the policy (PassMan only)')
    .action((reference: string, options: { stdin?: boolean; generate?: boolean }) =>
      run(async (pm, flags) => {
        if (options.stdin && options.generate) throw new CliError(EXIT.USAGE, 'give at most one of --stdin and --generate');
        const slash = reference.lastIndexOf('/');
        if (slash <= 0) throw new CliError(EXIT.USAGE, `expected <target>/<username>, got ${JSON.stringify(reference)}`);
        let value: string | undefined;
        if (options.stdin) {
          if (io.stdinIsTty) throw new CliError(EXIT.USAGE, '--stdin: pipe the password in');
          value = (await io.readStdin()).replace(/\r?\n$/, '');
        }
        const target = await pm.findTarget(reference.slice(0, slash));
        const account = await pm.accounts.create({ body: { targetId: target.id, username: reference.slice(slash + 1) } });
        if (value !== undefined) await pm.credentials.create({ params: { id: account.id }, body: { type: 'PASSWORD', value } });
        else if (options.generate) await pm.credentials.create({ params: { id: account.id }, body: { type: 'PASSWORD', generate: true } });
        io.stdout(flags.output !== 'table' ? formatted(flags.output, account) : `added account ${target.name}/${account.username} (${account.id})\n`);
        return EXIT.OK;
      }),
    );

  program
    .command('audit')
    .description('the audit trail')
    .command('verify')
    .description('check the audit chain: exit 0 when intact, 1 when a row was edited, deleted or forged')
    .action(() =>
      run(async (pm, flags) => {
        const result = await pm.audit.verify();
        if (flags.output !== 'table') io.stdout(formatted(flags.output, result));
        else
          io.stdout(
            result.ok
              ? `audit chain intact: ${result.checked} events\n`
              : `audit chain BROKEN at seq ${result.firstBrokenSeq}: ${result.problems.length} problem(s)\n`,
          );
        return result.ok ? EXIT.OK : EXIT.NOT_IN_SYNC;
      }),
    );
}
