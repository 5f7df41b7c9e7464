import { Command, CommanderError, Option } from 'commander';
import { createPassman } from '@passman/sdk';
import { registerCheck, registerWhoami } from './commands/check.js';
import { registerCompletion } from './commands/completion.js';
import { registerImport } from './commands/import.js';
import { registerJobs } from './commands/jobs.js';
import { registerLists } from './commands/lists.js';
import { registerLogin } from './commands/login.js';
import { registerManage } from './commands/manage.js';
import { registerSecrets } from './commands/secrets.js';
import { connectionOptions } from './config.js';
import type { CliIo, CommandContext, GlobalFlags } from './context.js';
import { describeFailure, EXIT } from './exit-codes.js';

export function buildProgram(io: CliIo, run: CommandContext['run']): Command {
  const program = new Command('passman')
    .description('PassMan from the command line: check, reset and check out privileged credentials')
    .addOption(new Option('--url <url>', 'PassMan’s address (env PASSMAN_URL)'))
    .addOption(new Option('--fingerprint <sha256>', 'pin PassMan’s certificate by the SHA-256 fingerprint it printed at start (env PASSMAN_FINGERPRINT)'))
    .addOption(new Option('--ca-file <path>', 'trust this CA file for PassMan’s certificate (env PASSMAN_CA_FILE)'))
    .addOption(new Option('--token-file <path>', 'read the API token from this file (default: env PASSMAN_TOKEN)'))
    .addOption(new Option('-o, --output <format>', 'output format').choices(['table', 'json', 'yaml']).default('table'))
    .showSuggestionAfterError(true)
    .exitOverride()
    .configureOutput({ writeOut: io.stdout, writeErr: io.stderr });

  const context = { io, run };
  registerLogin(program, context);
  registerWhoami(program, context);
  registerCheck(program, context);
  registerSecrets(program, context);
  registerLists(program, context);
  registerJobs(program, context);
  registerManage(program, context);
  registerImport(program, context);
  registerCompletion(program, context);
  return program;
}

/** Runs one command line (without node and the script) and resolves to its exit code; never throws. */
export async function runCli(argv: readonly string[], io: CliIo): Promise<number> {
  let exitCode: number = EXIT.OK;
  const run: CommandContext['run'] = async (action) => {
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
