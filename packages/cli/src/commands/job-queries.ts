import { InvalidArgumentError, Option, type Command } from 'commander';
import {
  ACCOUNT_JOB_KINDS,
  IdSchema,
  JOB_STATES,
  LimitSchema,
  TimestampSchema,
  type AccountJobKind,
  type Job,
  type JobState,
  type PassmanClient,
} from '@passman/sdk';
import type { CommandContext } from '../context.js';
import { EXIT } from '../exit-codes.js';
import { formatted } from '../output.js';
import { table } from '../table.js';
import { jobAccountName, settleOutcomeHint } from './job-results.js';

/** Jobs asked for in one page unless --limit says otherwise: as many as the other lists ask for per page. */
const PAGE_SIZE = 200;

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

interface JobListOptions {
  state?: JobState;
  kind?: AccountJobKind;
  batch?: string;
  account?: string;
  since?: string;
  limit: number;
  all?: boolean;
}

/** --limit: a page's size, within the bounds the API takes. */
function parseLimit(value: string): number {
  const parsed = LimitSchema.safeParse(value);
  if (!parsed.success) throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'not a page size');
  return parsed.data;
}

/** --since: a time as the API takes it (ISO 8601 with its offset), or a bare date meaning its midnight UTC. */
function parseSince(value: string): string {
  const parsed = TimestampSchema.safeParse(DATE_ONLY.test(value) ? `${value}T00:00:00Z` : value);
  if (!parsed.success) {
    const problem = parsed.error.issues[0]?.message ?? 'not a time';
    throw new InvalidArgumentError(`${problem}; give an ISO 8601 time with its offset, such as 2026-05-01T08:00:00Z, or a date, such as 2026-05-01`);
  }
  return parsed.data;
}

/** --account: <target>/<username> as the other commands take it, or the account's id. */
async function accountIdOf(pm: PassmanClient, reference: string): Promise<string> {
  // An id is looked up as well, so an account the caller may not see is "not found", as by name.
  const account = IdSchema.safeParse(reference).success ? await pm.accounts.get({ params: { id: reference } }) : await pm.findAccount(reference);
  return account.id;
}

async function jobQuery(pm: PassmanClient, options: JobListOptions) {
  return {
    limit: options.limit,
    ...(options.account ? { accountId: await accountIdOf(pm, options.account) } : {}),
    ...(options.batch ? { batchId: options.batch } : {}),
    ...(options.state ? { state: options.state } : {}),
    ...(options.kind ? { kind: options.kind } : {}),
    ...(options.since ? { since: options.since } : {}),
  };
}

/** The newest page of jobs, or with `all` every page; `more` says a page left jobs out. */
async function listJobs(pm: PassmanClient, query: Awaited<ReturnType<typeof jobQuery>>, all: boolean): Promise<{ jobs: Job[]; more: boolean }> {
  if (!all) {
    const page = await pm.jobs.list({ query });
    return { jobs: page.items, more: page.nextCursor !== null };
  }
  const jobs: Job[] = [];
  for await (const job of pm.jobs.list.all({ query })) jobs.push(job);
  return { jobs, more: false };
}

/** A dash for what is not there: an empty cell would shift the columns a script splits on. */
const orDash = (value: string | null) => value ?? '-';

function jobsTable(jobs: readonly Job[]): string {
  return table(
    ['ID', 'KIND', 'STATE', 'ERROR_CODE', 'ACCOUNT', 'CREATED', 'FINISHED'],
    jobs.map((job) => [job.id, job.kind, job.state, orDash(job.errorCode), jobAccountName(job), job.createdAt, orDash(job.finishedAt)]),
  );
}

function jobFacts(job: Job): string {
  const facts: [string, string][] = [
    ['job', job.id],
    ['kind', job.kind],
    ['state', `${job.state}${job.errorCode ? ` (${job.errorCode})` : ''}`],
    ['account', `${jobAccountName(job)} (${job.account.id})`],
    ['batch', job.batchId ?? 'none'],
    // No requester: PassMan itself asked (a schedule, or a policy after check-in).
    ['requested by', job.requestedBy?.username ?? 'PassMan'],
    ['attempts', String(job.attempts)],
    ['created', job.createdAt],
    ['started', job.startedAt ?? 'not yet'],
    ['finished', job.finishedAt ?? 'not yet'],
  ];
  if (job.errorMessage) facts.push(['error', job.errorMessage]);
  for (const result of job.results) {
    const credential = `${result.type}${result.sshKeyType ? ` ${result.sshKeyType}` : ''}`;
    facts.push(['credential', `${credential}: ${result.ok ? 'logs in' : (result.code ?? 'does not log in')}`]);
  }
  return facts.map(([key, value]) => `${`${key}:`.padEnd(14)}${value}\n`).join('');
}

function stepsTable(job: Job): string {
  if (job.steps.length === 0) return 'no steps yet\n';
  return table(
    ['AT', 'STEP', 'STATUS', 'DETAIL'],
    job.steps.map((step) => [step.at, step.step, step.status, step.detail ? JSON.stringify(step.detail) : '-']),
  );
}

/** `jobs list` and `jobs show`: the jobs the caller may see, and one job with its timeline. */
export function registerJobQueries(jobs: Command, { io, run }: CommandContext): void {
  jobs
    .command('list')
    .description('list the jobs on accounts you may see, newest first: one page, or every page with --all')
    .addOption(new Option('--state <state>', 'only jobs in this state').choices([...JOB_STATES]))
    .addOption(new Option('--kind <kind>', 'only jobs of this kind').choices([...ACCOUNT_JOB_KINDS]))
    .option('--batch <id>', 'only the jobs of this batch')
    .option('--account <account>', 'only the jobs on this account, as <target>/<username> or its id')
    .addOption(new Option('--since <time>', 'only jobs created at or after this ISO 8601 time (or date, UTC)').argParser(parseSince))
    .addOption(new Option('--limit <n>', 'how many jobs a page holds').argParser(parseLimit).default(PAGE_SIZE))
    .option('--all', 'every page, to the oldest job, not the newest page only')
    .action((options: JobListOptions) =>
      run(async (pm, flags) => {
        const { jobs: listed, more } = await listJobs(pm, await jobQuery(pm, options), options.all === true);
        io.stdout(flags.output !== 'table' ? formatted(flags.output, listed) : jobsTable(listed));
        if (more) io.stderr(`passman: more jobs than the ${listed.length} listed: add --all, or narrow the list\n`);
        return EXIT.OK;
      }),
    );

  jobs
    .command('show')
    .description('one job with its timeline')
    .argument('<job-id>', 'the job’s id')
    .action((jobId: string) =>
      run(async (pm, flags) => {
        const job = await pm.jobs.get({ params: { id: jobId } });
        if (flags.output !== 'table') io.stdout(formatted(flags.output, job));
        else {
          const hint = settleOutcomeHint(job);
          io.stdout(`${jobFacts(job)}\n${stepsTable(job)}${hint ? `\n${hint}\n` : ''}`);
        }
        return EXIT.OK;
      }),
    );
}
