import { Command, CommanderError, Option } from 'commander';
import { createPassman, type Job, type PassmanClient } from '@passman/sdk';
import { connectionOptions, type ConnectionFlags } from './config.js';
import { describeFailure, EXIT } from './exit-codes.js';

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  env: NodeJS.ProcessEnv;
}

type Output = 'table' | 'json';
interface GlobalFlags extends ConnectionFlags {
  output: Output;
}

/** InSync when the check ran and every credential logged in; otherwise the first reason given. */
export function checkOutcome(job: Job): { inSync: boolean; reason: string | null } {
  const failed = job.results.find((result) => !result.ok);
  const inSync = job.state === 'succeeded' && job.results.length > 0 && !failed;
  return { inSync, reason: inSync ? null : (failed?.code ?? job.errorCode ?? job.state) };
}

function buildProgram(io: CliIo, run: (action: (pm: PassmanClient, flags: GlobalFlags) => Promise<number>) => Promise<void>): Command {
  const program = new Command('passman')
    .description('PassMan from the command line: check, reset and check out privileged credentials')
    .addOption(new Option('--url <url>', 'PassMan’s address (env PASSMAN_URL)'))
    .addOption(new Option('--fingerprint <sha256>', 'pin PassMan’s certificate by the SHA-256 fingerprint it printed at start (env PASSMAN_FINGERPRINT)'))
    .addOption(new Option('--ca-file <path>', 'trust this CA file for PassMan’s certificate (env PASSMAN_CA_FILE)'))
    .addOption(new Option('--token-file <path>', 'read the API token from this file (default: env PASSMAN_TOKEN)'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json']).default('table'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  program
    .command('whoami')
    .description('who the token belongs to, and what it may do')
    .action(() =>
      run(async (pm, flags) => {
        const me = await pm.whoami();
        if (flags.output === 'json') io.stdout(`${JSON.stringify(me)}\n`);
        else io.stdout(`${me.username} (${me.role})\n`);
        return EXIT.OK;
      }),
    );

  program
    .command('check')
    .description('check an account’s credentials on its target; with --wait exit 0 when InSync, 1 when not')
    .argument('<account>', 'the account as <target>/<username>')
    .option('--wait', 'wait for the check’s result')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
    .action((reference: string, options: { wait?: boolean; timeout: string }) =>
      run(async (pm, flags) => {
        const timeoutMs = Number(options.timeout) * 1000;
        if (!Number.isFinite(timeoutMs) || timeoutMs <= 0) throw new TypeError(`--timeout must be a number of seconds, got ${JSON.stringify(options.timeout)}`);
        const account = await pm.findAccount(reference);
        const name = `${account.target.name}/${account.username}`;
        const job = await pm.jobs.check({ params: { id: account.id } });
        if (!options.wait) {
          io.stdout(
            flags.output === 'json' ? `${JSON.stringify({ account: name, jobId: job.id, state: job.state })}\n` : `check of ${name} queued: job ${job.id}\n`,
          );
          return EXIT.OK;
        }
        const done = await pm.waitForJob(job.id, { timeoutMs });
        const { inSync, reason } = checkOutcome(done);
        if (flags.output === 'json') io.stdout(`${JSON.stringify({ account: name, status: inSync ? 'InSync' : 'NotInSync', reason, jobId: done.id })}\n`);
        else io.stdout(inSync ? `InSync: ${name}\n` : `NotInSync: ${name} (${reason})\n`);
        return inSync ? EXIT.OK : EXIT.NOT_IN_SYNC;
      }),
    );
  return program;
}

/** Runs one command line (without node and the script) and resolves to its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.OK;
  const run = async (action: (pm: PassmanClient, flags: GlobalFlags) => Promise<number>): Promise<void> => {
    // Read when a command runs, after parsing: the program is made below.
    const flags = program.opts<GlobalFlags>();
    const pm = createPassman(connectionOptions(flags, io.env));
    try {
      exitCode = await action(pm, flags);
    } finally {
      await pm.close();
    }
  };
  const program = buildProgram(io, run);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end the same way, on purpose: they are not failures.
      if (error.code === 'commander.helpDisplayed' || error.code === 'commander.version' || error.code === 'commander.help') return EXIT.OK;
      return EXIT.USAGE;
    }
    const { exitCode: code, message } = describeFailure(error);
    io.stderr(`passman: ${message}\n`);
    return code;
  }
}
