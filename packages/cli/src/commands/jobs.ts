import { Option, type Command } from 'commander';
import { CREDENTIAL_TYPES, settledJobCount, type Batch, type CredentialType, type Job } from '@passman/sdk';
import type { CliIo, CommandContext } from '../context.js';
import { CliError, EXIT } from '../exit-codes.js';
import { progressReporter } from '../progress.js';
import { timeoutMs } from './check.js';
import { registerJobQueries } from './job-queries.js';
import { checkOutcome, checkResultLine, jobAccountName, resetResultLines, TARGET_HOLDS } from './job-results.js';
import { filteredAccounts, withAccountFilter, type AccountFilter } from './lists.js';
import { formatted } from '../output.js';

/** One line of a batch's progress. */
function batchLine(batch: Batch): string {
  const { succeeded, failed, unverified } = batch.counts;
  return `batch ${batch.id}: ${settledJobCount(batch.counts)}/${batch.total} settled (${succeeded} succeeded, ${failed} failed, ${unverified} unverified)`;
}

/** A batch's progress: a bar on a terminal, plain lines otherwise. */
function batchProgress(io: CliIo): { update(batch: Batch): void; end(): void } {
  const reporter = progressReporter(io);
  return {
    update: (batch) => reporter.update(batchLine(batch), settledJobCount(batch.counts), batch.total),
    end: () => reporter.end(),
  };
}

function jobLine(job: Job): string {
  const step = job.steps.at(-1);
  return `job ${job.id} ${job.kind} ${jobAccountName(job)}: ${job.state}${step ? ` (${step.step}: ${step.status})` : ''}${job.errorCode ? ` ${job.errorCode}` : ''}`;
}

export function registerJobs(program: Command, { io, run }: CommandContext): void {
  const jobs = program.command('jobs').description('jobs: checks and resets');
  registerJobQueries(jobs, { io, run });
  jobs
    .command('watch')
    .description('follow a job until it settles: exit 0 when it succeeded, 1 when not')
    .argument('<job-id>', 'the job’s id')
    .option('--timeout <seconds>', 'give up after this long', '600')
    .action((jobId: string, options: { timeout: string }) =>
      run(async (pm, flags) => {
        let last = '';
        const done = await pm.waitForJob(jobId, {
          timeoutMs: timeoutMs(options.timeout),
          onProgress: (job) => {
            const line = jobLine(job);
            if (flags.output === 'table' && line !== last) io.stdout(`${line}\n`);
            last = line;
          },
        });
        if (flags.output !== 'table') io.stdout(formatted(flags.output, done));
        return done.state === 'succeeded' ? EXIT.OK : EXIT.NOT_IN_SYNC;
      }),
    );

  jobs
    .command('confirm-outcome')
    .description(
      'settle a reset whose outcome is unknown (unverified, OUTCOME_UNKNOWN) by saying which secret the target holds; ' +
        '`checkout --pending` reveals the new one to try first',
    )
    .argument('<job-id>', 'the reset job’s id')
    .addOption(
      new Option(
        '--target-holds <secret>',
        'new: the target took the new secret, it becomes current; previous: it kept the previous one, the new one is discarded',
      )
        .choices(Object.keys(TARGET_HOLDS))
        .makeOptionMandatory(),
    )
    .option('--reason <text>', 'how you know, for the audit trail')
    .action((jobId: string, options: { targetHolds: string; reason?: string }) =>
      run(async (pm, flags) => {
        const result = await pm.resetOutcomes.confirm({
          params: { id: jobId },
          body: { targetHolds: TARGET_HOLDS[options.targetHolds]!, ...(options.reason ? { reason: options.reason } : {}) },
        });
        if (flags.output !== 'table') io.stdout(formatted(flags.output, result));
        else {
          const name = jobAccountName(result.job);
          const current = result.currentVersion === null ? 'no current version' : `version ${result.currentVersion} current`;
          io.stdout(
            `confirmed: ${name} holds the ${options.targetHolds} secret (${current}); job ${result.job.id} ${result.job.state}${result.job.errorCode ? ` ${result.job.errorCode}` : ''}\n` +
              `${name} is ${result.account.status}${result.account.statusReason ? ` (${result.account.statusReason})` : ''} until a check proves it: passman check --wait ${name}\n`,
          );
          if (result.job.errorCode && result.job.errorMessage) io.stderr(`passman: ${result.job.errorMessage}\n`);
        }
        return EXIT.OK;
      }),
    );

  const batch = program.command('batch').description('check or reset many accounts as one batch');
  for (const kind of ['check', 'reset'] as const) {
    const command = withAccountFilter(batch.command(kind).description(`${kind} every account the filter matches (at least one filter)`))
      .option('--wait', 'follow the batch: exit 0 when every job succeeded, 1 when not')
      .option('--timeout <seconds>', 'with --wait: give up after this long', '3600');
    if (kind === 'reset') {
      command
        .addOption(new Option('--type <type>', 'which credential').choices([...CREDENTIAL_TYPES]).default('PASSWORD'))
        .option('--no-change-on-target', 'change the vault copies only')
        .option('--acknowledge-loss-of-sync', 'with --no-change-on-target: accept that InSync accounts lose InSync');
    }
    command.action(
      (options: AccountFilter & { wait?: boolean; timeout: string; type?: CredentialType; changeOnTarget?: boolean; acknowledgeLossOfSync?: boolean }) =>
        run(async (pm, flags) => {
          if (!options.target && !options.folder && !options.status && !options.q)
            throw new CliError(EXIT.USAGE, 'name the accounts: --target, --folder, --status or --q');
          const wait = timeoutMs(options.timeout);
          const accountIds: string[] = [];
          for await (const account of filteredAccounts(pm, options)) accountIds.push(account.id);
          if (accountIds.length === 0) throw new CliError(EXIT.USAGE, 'no account you may see matches');
          const created = await pm.jobs.bulk({
            body:
              kind === 'check'
                ? { kind: 'CHECK', accountIds }
                : {
                    kind: 'RESET',
                    accountIds,
                    reset: {
                      credentialType: options.type ?? 'PASSWORD',
                      changeOnTarget: options.changeOnTarget !== false,
                      ...(options.acknowledgeLossOfSync ? { acknowledgeLossOfSync: true } : {}),
                    },
                  },
          });
          for (const refused of created.refused) io.stderr(`passman: left out ${refused.accountId}: ${refused.code}\n`);
          if (!options.wait) {
            io.stdout(
              flags.output !== 'table'
                ? formatted(flags.output, created)
                : `batch ${created.id}: ${created.total} queued, ${created.refused.length} left out\n`,
            );
            return EXIT.OK;
          }
          const progress = flags.output !== 'table' ? undefined : batchProgress(io);
          const done = await pm.waitForBatch(created.id, { timeoutMs: wait, onProgress: (b) => progress?.update(b) });
          progress?.end();
          // A check that ran succeeded even where the password was refused: the outcome is each job's results.
          const jobs: Job[] = [];
          for await (const job of pm.jobs.list.all({ query: { batchId: done.id, limit: 200 } })) jobs.push(job);
          // Each with its job's id (and how to settle a reset whose outcome is unknown), as `check --wait` and `reset --wait` print them.
          const bad = jobs.flatMap((job) => {
            if (kind === 'check') return checkOutcome(job).inSync ? [] : [{ job, lines: checkResultLine(jobAccountName(job), job) }];
            return job.state === 'succeeded' ? [] : [{ job, lines: resetResultLines(jobAccountName(job), job) }];
          });
          if (flags.output !== 'table') io.stdout(formatted(flags.output, { ...done, refused: created.refused, notOk: bad.map(({ job }) => job) }));
          else for (const { lines } of bad) io.stdout(lines);
          return bad.length === 0 && created.refused.length === 0 ? EXIT.OK : EXIT.NOT_IN_SYNC;
        }),
    );
  }
}
