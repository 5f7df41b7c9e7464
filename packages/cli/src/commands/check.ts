import type { Command } from 'commander';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatted } from '../output.js';
import { checkOutcome, checkResultLine } from './job-results.js';

/** Seconds from --timeout, as the SDK's milliseconds. */
export function timeoutMs(value: string): number {
  const ms = Number(value) * 1000;
  if (!Number.isFinite(ms) || ms <= 0) throw new TypeError(`--timeout must be a number of seconds, got ${JSON.stringify(value)}`);
  return ms;
}

export function registerCheck(program: Command, { io, run }: CommandContext): void {
  program
    .command('check')
    .description('check an account’s credentials on its target; with --wait exit 0 when InSync, 1 when not')
    .argument('<account>', 'the account as <target>/<username>')
    .option('--wait', 'wait for the check’s result')
    .option('--timeout <seconds>', 'with --wait: give up after this long', '600')
    .action((reference: string, options: { wait?: boolean; timeout: string }) =>
      run(async (pm, flags) => {
        const wait = timeoutMs(options.timeout);
        const account = await pm.findAccount(reference);
        const name = `${account.target.name}/${account.username}`;
        const job = await pm.jobs.check({ params: { id: account.id } });
        if (!options.wait) {
          io.stdout(
            flags.output !== 'table' ? formatted(flags.output, { account: name, jobId: job.id, state: job.state }) : `check of ${name} queued: job ${job.id}\n`,
          );
          return EXIT.OK;
        }
        const done = await pm.waitForJob(job.id, { timeoutMs: wait });
        const { inSync, reason } = checkOutcome(done);
        if (flags.output !== 'table') io.stdout(formatted(flags.output, { account: name, status: inSync ? 'InSync' : 'NotInSync', reason, jobId: done.id }));
        else io.stdout(checkResultLine(name, done));
        return inSync ? EXIT.OK : EXIT.NOT_IN_SYNC;
      }),
    );
}

export function registerWhoami(program: Command, { io, run }: CommandContext): void {
  program
    .command('whoami')
    .description('who the token belongs to, and what it may do')
    .action(() =>
      run(async (pm, flags) => {
        const me = await pm.whoami();
        io.stdout(flags.output !== 'table' ? formatted(flags.output, me) : `${me.username} (${me.role})\n`);
        return EXIT.OK;
      }),
    );
}
