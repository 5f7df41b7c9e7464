import { Option, type Command } from 'commander';
import { CREDENTIAL_TYPES, SSH_KEY_TYPES, type CredentialType, type SshKeyType } from '@passman/sdk';
import type { CommandContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { timeoutMs } from './check.js';
import { resetResultLines } from './job-results.js';
import { formatted } from '../output.js';

/** What `checkout --field` prints, and the credential type it implies. */
const FIELDS: Record<string, CredentialType | null> = { secret: null, password: 'PASSWORD', pin: 'PIN', 'private-key': 'SSH_KEY' };

interface CredentialFlags {
  type?: CredentialType;
  keyType?: SshKeyType;
}

const typeOption = () => new Option('--type <type>', 'which credential').choices([...CREDENTIAL_TYPES]);
const keyTypeOption = () => new Option('--key-type <type>', 'SSH_KEY: which of the account’s keys').choices([...SSH_KEY_TYPES]);

export function registerSecrets(program: Command, { io, run }: CommandContext): void {
  program
    .command('checkout')
    .description('reveal an account’s current secret (audited); with --field the bare value only, never to a terminal unless --reveal')
    .argument('<account>', 'the account as <target>/<username>')
    .addOption(new Option('--field <field>', 'print only this, with nothing around it').choices(Object.keys(FIELDS)))
    .addOption(typeOption())
    .addOption(keyTypeOption())
    .option('--reason <text>', 'why, for the audit trail')
    .option('--pending', 'the new, unconfirmed secret of a reset whose outcome is unknown instead of the current one (then: jobs confirm-outcome)')
    .option('--reveal', 'allow printing the secret to a terminal')
    .action((reference: string, options: CredentialFlags & { field?: string; reason?: string; pending?: boolean; reveal?: boolean }) =>
      run(async (pm, flags) => {
        const printsSecret = options.field !== undefined || flags.output !== 'table';
        // Refused before the checkout, so a mistaken command leaves no checkout behind.
        if (printsSecret && io.stdoutIsTty && !options.reveal) {
          throw new CliError(EXIT.USAGE, 'refusing to print a secret to a terminal: pipe it, or give --reveal');
        }
        const credentialType = options.type ?? (options.field ? (FIELDS[options.field] ?? undefined) : undefined);
        const account = await pm.findAccount(reference);
        const result = await pm.jobs.checkout({
          params: { id: account.id },
          body: {
            ...(credentialType ? { credentialType } : {}),
            ...(options.keyType ? { sshKeyType: options.keyType } : {}),
            ...(options.reason ? { reason: options.reason } : {}),
            ...(options.pending ? { pending: true as const } : {}),
          },
        });
        if (options.field) io.stdout(result.secret);
        else if (flags.output !== 'table') io.stdout(formatted(flags.output, result));
        else {
          const until = result.expiresAt ? `, until ${result.expiresAt}` : '';
          const pending = result.pending ? ' (pending: the unconfirmed new secret)' : '';
          io.stdout(
            `checked out ${account.target.name}/${account.username}: ${result.type} version ${result.version}${pending}${until} (add --field secret to print it)\n`,
          );
        }
        return EXIT.OK;
      }),
    );

  program
    .command('checkin')
    .description('return a checked-out account (its policy may reset it then)')
    .argument('<account>', 'the account as <target>/<username>')
    .action((reference: string) =>
      run(async (pm, flags) => {
        const account = await pm.findAccount(reference);
        const result = await pm.jobs.checkin({ params: { id: account.id } });
        if (flags.output !== 'table') io.stdout(formatted(flags.output, result));
        else io.stdout(`checked in ${account.target.name}/${account.username}${result.resetJob ? `: reset queued, job ${result.resetJob.id}` : ''}\n`);
        return EXIT.OK;
      }),
    );

  program
    .command('reset')
    .description('change a credential: typed on stdin, or --generate from the policy; on the target too unless --no-change-on-target')
    .argument('<account>', 'the account as <target>/<username>')
    .option('--generate', 'Generate and Save: make the new secret from the account’s policy')
    .option('--stdin', 'read the new secret from stdin (never from an argument)')
    .option('--no-change-on-target', 'change the vault copy only')
    .option('--acknowledge-loss-of-sync', 'with --no-change-on-target on an InSync account: accept that it loses InSync')
    .addOption(typeOption().default('PASSWORD'))
    .addOption(keyTypeOption())
    .option('--wait', 'wait for the reset’s result: exit 0 when it succeeded, 1 when not')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
    .action(
      (
        reference: string,
        options: CredentialFlags & {
          generate?: boolean;
          stdin?: boolean;
          changeOnTarget: boolean;
          acknowledgeLossOfSync?: boolean;
          wait?: boolean;
          timeout: string;
        },
      ) =>
        run(async (pm, flags) => {
          if (Boolean(options.generate) === Boolean(options.stdin)) throw new CliError(EXIT.USAGE, 'give exactly one of --generate and --stdin');
          const wait = timeoutMs(options.timeout);
          let newSecret: string | undefined;
          if (options.stdin) {
            if (io.stdinIsTty) throw new CliError(EXIT.USAGE, '--stdin: pipe the new secret in (it is never typed on a terminal or given as an argument)');
            // One trailing line end is the pipe's, not the secret's (an SSH key keeps its own).
            newSecret = (await io.readStdin()).replace(/\r?\n$/, '');
            if (newSecret === '') throw new CliError(EXIT.USAGE, '--stdin: nothing was piped in');
          }
          const account = await pm.findAccount(reference);
          const name = `${account.target.name}/${account.username}`;
          const job = await pm.jobs.reset({
            params: { id: account.id },
            body: {
              credentialType: options.type ?? 'PASSWORD',
              ...(options.keyType ? { sshKeyType: options.keyType } : {}),
              ...(newSecret !== undefined ? { newSecret } : { generate: true as const }),
              changeOnTarget: options.changeOnTarget,
              ...(options.acknowledgeLossOfSync ? { acknowledgeLossOfSync: true } : {}),
            },
          });
          if (!options.wait) {
            io.stdout(
              flags.output !== 'table'
                ? formatted(flags.output, { account: name, jobId: job.id, state: job.state })
                : `reset of ${name} queued: job ${job.id}\n`,
            );
            return EXIT.OK;
          }
          const done = await pm.waitForJob(job.id, { timeoutMs: wait });
          const ok = done.state === 'succeeded';
          if (flags.output !== 'table') io.stdout(formatted(flags.output, { account: name, state: done.state, errorCode: done.errorCode, jobId: done.id }));
          else io.stdout(resetResultLines(name, done));
          return ok ? EXIT.OK : EXIT.NOT_IN_SYNC;
        }),
    );
}
