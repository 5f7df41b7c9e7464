/**
 * `npm run bench:api` — the list endpoints at scale: keyset pages of 100k accounts under concurrent clients.
 *
 * Makes its own database (on DATABASE_URL's server when set, else an embedded PostgreSQL),
 * seeds 100k accounts over 5k targets, starts the real app (createServices + createApp) on
 * 127.0.0.1, logs in, and drives GET /api/v1/accounts from 20 concurrent keep-alive clients
 * (on a worker thread, so they do not queue on the server's event loop):
 *   (a) the first page with a filter and a sort,
 *   (b) a deep page (nextCursor followed 50 pages in, then that cursor hammered),
 * against baselines measured in the same run: (c) the same SQL straight through `pg` at the
 * same concurrency, and GET /healthz over HTTP. Prints p50/p95/p99, req/s, the ratios, and
 * the CPU each request cost (server event loop, PostgreSQL backends), which unlike latency
 * holds up when other work shares the machine. Bounded (< 3 min); drops its database.
 */
import { performance } from 'node:perf_hooks';
import { VAULT_ACTIONS, type AccountListQuery, type AccountPage } from '@passman/contracts';
import { decodeKeyset } from '../src/lib/keyset.js';
import { accountListSql, accountSortSpec } from '../src/modules/accounts/accounts.repo.js';
import { CONCURRENCY, log, machineLoad, pageSql, runBench, scenarioRunner, since, startApi } from './harness.js';
import { table } from './load.js';
import { seedEstate } from './seed.js';

const TARGETS = Number(process.env.BENCH_TARGETS ?? 5_000);
const ACCOUNTS_PER_TARGET = Number(process.env.BENCH_ACCOUNTS_PER_TARGET ?? 20);
const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const DEEP_PAGES = 50;
const GOAL_P95_MS = 50;

/** What an operator looks at: accounts not in sync on production hosts, most recently checked first. */
const QUERY: AccountListQuery = { status: 'NotInSync', q: 'prod', sort: '-lastCheckedAt', limit: 50, recursive: true };
const listPath = (cursor?: string) =>
  `/api/v1/accounts?status=${QUERY.status}&q=${QUERY.q}&sort=${encodeURIComponent(QUERY.sort)}&limit=${QUERY.limit}${cursor ? `&cursor=${cursor}` : ''}`;

/** The bare SQL as an administrator's request runs it: no rights to apply. */
const ADMIN_SCOPE = { kind: 'all', rights: VAULT_ACTIONS } as const;

await runBench('bench:api', 175_000, async (bench) => {
  const tSeed = performance.now();
  const seeded = await seedEstate(bench.databaseUrl, { targets: TARGETS, accountsPerTarget: ACCOUNTS_PER_TARGET });
  log(`seeded ${seeded.accounts} accounts over ${seeded.targets} targets in ${since(tSeed)}`);

  const api = await startApi(bench);
  const session = await api.login('admin', api.adminPassword);

  // Follow the cursor DEEP_PAGES pages into the list, checking the pages on the way.
  const first = await api.getJson<AccountPage>(session, listPath());
  if (first.items.length !== QUERY.limit || !first.items.every((a) => a.status === 'NotInSync')) throw new Error('unexpected first page');
  let cursor = first.nextCursor;
  for (let page = 1; page < DEEP_PAGES && cursor; page += 1) cursor = (await api.getJson<AccountPage>(session, listPath(cursor))).nextCursor;
  if (!cursor) throw new Error(`the list has fewer than ${DEEP_PAGES} pages`);
  const deepCursor = cursor;
  const deep = await api.getJson<AccountPage>(session, listPath(deepCursor));
  log(`page ${DEEP_PAGES + 1} of the list: ${deep.items.length} items, last checked ${deep.items[0]?.lastCheckedAt ?? 'never'} … `);

  // Baseline: exactly the SQL the repo runs, straight through pg, same pool size and concurrency.
  const filter = { status: QUERY.status, q: QUERY.q };
  const firstSql = accountListSql(ADMIN_SCOPE, filter, QUERY.sort, undefined, QUERY.limit + 1);
  const deepKey = decodeKeyset('accounts', QUERY.sort, deepCursor, accountSortSpec(QUERY.sort).parts);
  const deepSql = accountListSql(ADMIN_SCOPE, filter, QUERY.sort, deepKey, QUERY.limit + 1);

  const runner = scenarioRunner(bench, api.origin, { warmupMs: WARMUP_MS, durationMs: DURATION_MS });
  const headers = { cookie: session.cookie };
  log(`${CONCURRENCY} concurrent clients, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s measured per scenario`);
  const apiFirst = await runner.http('(a) API, first page', [listPath()], headers);
  const apiDeep = await runner.http(`(b) API, deep page (${DEEP_PAGES + 1})`, [listPath(deepCursor)], headers);
  const sqlFirst = await runner.local('(c) same SQL via pg, first page', pageSql(runner.pool, firstSql, QUERY.limit + 1));
  const sqlDeep = await runner.local('(c) same SQL via pg, deep page', pageSql(runner.pool, deepSql, QUERY.limit + 1));
  const healthz = await runner.http('(c) GET /healthz', ['/healthz'], headers);

  log('');
  log(`GET ${listPath().replace('/api/v1', '')}: ${seeded.accounts} accounts over ${seeded.targets} targets, ${CONCURRENCY} clients`);
  log('');
  const sqlOf = new Map([
    [apiFirst, sqlFirst],
    [apiDeep, sqlDeep],
  ]);
  log(
    table(
      runner.results,
      [
        { label: 'p95 ÷ same SQL via pg', baselineOf: (r) => sqlOf.get(r) },
        { label: 'p95 ÷ /healthz', baselineOf: () => healthz },
      ],
      runner.costs,
    ),
  );
  log('');
  log(`load average ${machineLoad()} at the end; total ${since(bench.startedAt)}`);
  const met = apiFirst.p95 <= GOAL_P95_MS && apiDeep.p95 <= GOAL_P95_MS;
  log(`goal p95 ≤ ${GOAL_P95_MS} ms for both pages: ${met ? 'met' : 'NOT met'}`);
  if (runner.results.some((r) => r.errors > 0)) process.exitCode = 1;
});
