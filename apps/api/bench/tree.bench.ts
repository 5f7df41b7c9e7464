/**
 * `npm run bench:tree` — rights in the vault tree at scale: what an operator's grants cost a list
 * and a permission check.
 *
 * Seeds (set-based SQL, seed-tree.ts) 100k accounts over 5k targets in 500 folders on four levels,
 * 2 000 users in 200 groups and their grants, one operator's reaching about a tenth of the
 * accounts (through groups and directly, with DENY below ALLOW). Then, on the real app and from
 * 20 concurrent keep-alive clients (harness.ts), GET /api/v1/accounts with a status filter and a
 * sort, first page and page 51:
 *   (a) as that operator, (b) as an administrator (no rights to apply),
 *   (c) baselines: the operator's and the administrator's page as bare SQL (accountListSql) via pg.
 * And a single permission check (`access.require` of one account, as every account route makes
 * it), run thousands of times in a row, with the CPU it cost the API process and PostgreSQL.
 * Prints p95s, the ratios operator ÷ admin and operator ÷ bare SQL, and the CPU per check.
 * Bounded (< 4 min); drops its database.
 */
import { performance } from 'node:perf_hooks';
import { VAULT_ACTIONS, type AccountListQuery, type AccountPage } from '@passman/contracts';
import { AppError } from '../src/lib/app-error.js';
import { decodeKeyset } from '../src/lib/keyset.js';
import type { RequestContext } from '../src/lib/actor.js';
import { accountAllowedSql, type TreeScope } from '../src/modules/access/index.js';
import { accountListSql, accountSortSpec } from '../src/modules/accounts/accounts.repo.js';
import { CONCURRENCY, log, machineLoad, pageSql, runBench, scenarioRunner, since, startApi, type Session } from './harness.js';
import { table, type LoadResult } from './load.js';
import { BENCH_OPERATOR, seedTree } from './seed-tree.js';

const WARMUP_MS = Number(process.env.BENCH_WARMUP_MS ?? 2_000);
const DURATION_MS = Number(process.env.BENCH_DURATION_MS ?? 8_000);
const CHECKS = Number(process.env.BENCH_CHECKS ?? 4_000);
const DEEP_PAGES = 50;
const GOAL_P95_MS = 50;
const GOAL_CHECK_CPU_MS = 1;

/** The estate: 1 999 operators + the administrator = 2 000 users; 199 groups + the migration's Operators group = 200. */
const ESTATE = { folders: 500, targets: 5_000, accountsPerTarget: 20, users: 1_999, groups: 199 };

/** An operator's daily list: accounts not in sync, most recently checked first. */
const QUERY = { status: 'NotInSync', sort: '-lastCheckedAt', limit: 50 } as const satisfies Partial<AccountListQuery>;
const listPath = (cursor?: string) =>
  `/api/v1/accounts?status=${QUERY.status}&sort=${encodeURIComponent(QUERY.sort)}&limit=${QUERY.limit}${cursor ? `&cursor=${cursor}` : ''}`;

const ADMIN_SCOPE: TreeScope = { kind: 'all', rights: VAULT_ACTIONS };

await runBench('bench:tree', 235_000, async (bench) => {
  const api = await startApi(bench);

  const tSeed = performance.now();
  const operatorPassword = `bench-${Math.random().toString(36).slice(2)}-password`;
  const seeded = await seedTree(bench.databaseUrl, { ...ESTATE, passwordHash: await api.services.hasher.hash(operatorPassword) });
  log(
    `seeded ${seeded.accounts} accounts over ${seeded.targets} targets in ${seeded.folders} folders (levels below the root: ${seeded.levels.join(', ')}), ` +
      `${seeded.users} users, ${seeded.groups} groups, ${seeded.grants} grants in ${since(tSeed)}`,
  );

  const runner = scenarioRunner(bench, api.origin, { warmupMs: WARMUP_MS, durationMs: DURATION_MS });
  const { rows: ids } = await runner.pool.query<{ id: string }>('SELECT id::text FROM users WHERE username = $1', [BENCH_OPERATOR]);
  const operatorScope: TreeScope = { kind: 'user', userId: ids[0]!.id };
  const reach = accountAllowedSql(operatorScope, 'view', 'a');
  const { rows: reached } = await runner.pool.query<{ n: string }>(`SELECT count(*) AS n FROM accounts a WHERE ${reach.text}`, reach.values);
  const share = Number(reached[0]!.n) / seeded.accounts;
  log(`${BENCH_OPERATOR} may view ${reached[0]!.n} accounts (${(share * 100).toFixed(1)} %)`);
  if (share < 0.08 || share > 0.12) throw new Error('the operator should reach about a tenth of the accounts');

  const admin = await api.login('admin', api.adminPassword);
  const operator = await api.login(BENCH_OPERATOR, operatorPassword);

  /** The cursor of page DEEP_PAGES + 1, following nextCursor and checking each page on the way. */
  async function deepCursor(session: Session, onlyVisible: boolean): Promise<string> {
    let cursor: string | null = null;
    for (let page = 0; page < DEEP_PAGES; page += 1) {
      const body: AccountPage = await api.getJson<AccountPage>(session, listPath(cursor ?? undefined));
      if (body.items.length !== QUERY.limit || !body.items.every((a) => a.status === QUERY.status))
        throw new Error(`page ${page + 1} has ${body.items.length} items, not all ${QUERY.status}`);
      // The list's filter and the rights it shows per row come from two queries: they must agree.
      if (onlyVisible && !body.items.every((a) => a.myRights.includes('view'))) throw new Error(`page ${page + 1} shows an account without view`);
      cursor = body.nextCursor;
      if (!cursor) throw new Error(`the list has fewer than ${DEEP_PAGES + 1} pages`);
    }
    return cursor!;
  }
  const operatorDeep = await deepCursor(operator, true);
  const adminDeep = await deepCursor(admin, false);

  // The tree panel's load: the whole visible tree with its counts, one request at a time.
  async function treeLoadMs(session: Session): Promise<{ median: number; max: number; folders: number }> {
    let folders = 0;
    const times: number[] = [];
    for (let i = 0; i < 12; i += 1) {
      const t0 = performance.now();
      folders = (await api.getJson<{ items: unknown[] }>(session, '/api/v1/folders')).items.length;
      if (i >= 2) times.push(performance.now() - t0); // the first two warm the caches
    }
    times.sort((x, y) => x - y);
    return { median: times[Math.floor(times.length / 2)]!, max: times.at(-1)!, folders };
  }
  const [opTree, adTree] = [await treeLoadMs(operator), await treeLoadMs(admin)];

  // The operator's SQL as the API sends it: a list reads the user's reach first (one small query
  // per request, not in the baseline) and filters with it.
  const operatorActor = await api.services.auth.authenticateSession(operator.token, null);
  const operatorListScope = await api.services.access.listScopeOf(operatorActor);
  const spec = accountSortSpec(QUERY.sort);
  const sqlOf = (scope: TreeScope, cursor?: string) =>
    accountListSql(scope, { status: QUERY.status }, QUERY.sort, cursor ? decodeKeyset('accounts', QUERY.sort, cursor, spec.parts) : undefined, QUERY.limit + 1);

  log(`${CONCURRENCY} concurrent clients, ${WARMUP_MS / 1000} s warm-up + ${DURATION_MS / 1000} s measured per scenario`);
  const asOperator = { cookie: operator.cookie };
  const asAdmin = { cookie: admin.cookie };
  const opFirst = await runner.http('(a) operator, first page', [listPath()], asOperator);
  const opDeep = await runner.http(`(a) operator, deep page (${DEEP_PAGES + 1})`, [listPath(operatorDeep)], asOperator);
  const adFirst = await runner.http('(b) admin, first page', [listPath()], asAdmin);
  const adDeep = await runner.http(`(b) admin, deep page (${DEEP_PAGES + 1})`, [listPath(adminDeep)], asAdmin);
  const rows = QUERY.limit + 1;
  const opSqlFirst = await runner.local("(c) operator's SQL via pg, first page", pageSql(runner.pool, sqlOf(operatorListScope), rows));
  const opSqlDeep = await runner.local("(c) operator's SQL via pg, deep page", pageSql(runner.pool, sqlOf(operatorListScope, operatorDeep), rows));
  const adSqlFirst = await runner.local("(c) admin's SQL via pg, first page", pageSql(runner.pool, sqlOf(ADMIN_SCOPE), rows));
  const adSqlDeep = await runner.local("(c) admin's SQL via pg, deep page", pageSql(runner.pool, sqlOf(ADMIN_SCOPE, adminDeep), rows));

  // One permission check, as an account route makes it: `require` of checkout on one account, for
  // the operator, over accounts of all kinds (allowed, seen but denied, hidden). Run one after
  // another, nothing else running, so the process's CPU is the checks' own.
  const actor = await api.services.auth.authenticateSession(operator.token, null);
  if (!actor) throw new Error('the operator session does not resolve');
  const ctx: RequestContext = { requestId: 'bench', ip: null, userAgent: null, actor };
  const { rows: sample } = await runner.pool.query<{ id: string }>(
    `SELECT id FROM ((SELECT id::text FROM accounts TABLESAMPLE BERNOULLI (2) REPEATABLE (7) LIMIT 1500)
       UNION ALL (SELECT a.id::text FROM accounts a JOIN folder_closure c ON c.descendant_id = a.folder_id
                    JOIN folders f ON f.id = c.ancestor_id AND f.name = 'unit-000' ORDER BY a.id LIMIT 1500)) s ORDER BY md5(id)`,
  );
  const outcomes = { allowed: 0, FORBIDDEN: 0, NOT_FOUND: 0 };
  const check = async (id: string) => {
    try {
      await api.services.access.require(ctx, { type: 'account', id }, 'checkout');
      return 'allowed' as const;
    } catch (error) {
      if (error instanceof AppError && (error.code === 'FORBIDDEN' || error.code === 'NOT_FOUND')) return error.code;
      throw error;
    }
  };
  for (let i = 0; i < Math.min(500, CHECKS); i += 1) await check(sample[i % sample.length]!.id);
  const cpuStart = runner.cpu.start();
  const processStart = process.cpuUsage();
  const tChecks = performance.now();
  for (let i = 0; i < CHECKS; i += 1) outcomes[await check(sample[i % sample.length]!.id)] += 1;
  const wallMs = performance.now() - tChecks;
  const processUsage = process.cpuUsage(processStart);
  const checkCpu = runner.cpu.perRequest(cpuStart, CHECKS);
  const processMs = (processUsage.user + processUsage.system) / 1000 / CHECKS;
  const checkTotal = processMs + (checkCpu.postgresMs ?? Number.NaN);

  log('');
  log(`GET ${listPath().replace('/api/v1', '')}: ${seeded.accounts} accounts, ${seeded.folders} folders, ${seeded.grants} grants; ${CONCURRENCY} clients`);
  log('');
  const adminOf = new Map<LoadResult, LoadResult>([
    [opFirst, adFirst],
    [opDeep, adDeep],
    [opSqlFirst, adSqlFirst],
    [opSqlDeep, adSqlDeep],
  ]);
  const bareOf = new Map<LoadResult, LoadResult>([
    [opFirst, opSqlFirst],
    [opDeep, opSqlDeep],
    [adFirst, adSqlFirst],
    [adDeep, adSqlDeep],
  ]);
  log(
    table(
      runner.results,
      [
        { label: "p95 ÷ admin's", baselineOf: (r) => adminOf.get(r) },
        { label: 'p95 ÷ same SQL via pg', baselineOf: (r) => bareOf.get(r) },
      ],
      runner.costs,
    ),
  );
  log('');
  const fmt = (n: number | null, digits = 3) => (n === null || !Number.isFinite(n) ? '-' : n.toFixed(digits));
  log(
    `permission check (access.require, checkout on one account; ${outcomes.allowed} allowed, ${outcomes.FORBIDDEN} forbidden, ${outcomes.NOT_FOUND} not found): ` +
      `${CHECKS} in ${(wallMs / 1000).toFixed(1)} s, ${fmt(wallMs / CHECKS)} ms each wall clock; CPU per check: API process ${fmt(processMs)} ms ` +
      `(its main thread ${fmt(checkCpu.mainThreadMs)} ms), PostgreSQL ${fmt(checkCpu.postgresMs)} ms, server total ${fmt(checkTotal)} ms`,
  );
  log('');
  log(
    `GET /folders (the tree panel, one request at a time, median / max of 10): operator ${opTree.median.toFixed(1)} / ${opTree.max.toFixed(1)} ms ` +
      `(${opTree.folders} folders), admin ${adTree.median.toFixed(1)} / ${adTree.max.toFixed(1)} ms (${adTree.folders} folders)`,
  );
  log(`load average ${machineLoad()} at the end; total ${since(bench.startedAt)}`);
  const ratio = (a: LoadResult, b: LoadResult) => `${(a.p95 / b.p95).toFixed(1)}×`;
  log(
    `operator ÷ admin p95: first ${ratio(opFirst, adFirst)}, deep ${ratio(opDeep, adDeep)}; ` +
      `operator ÷ bare SQL p95: first ${ratio(opFirst, opSqlFirst)}, deep ${ratio(opDeep, opSqlDeep)}`,
  );
  const listMet = opFirst.p95 <= GOAL_P95_MS && opDeep.p95 <= GOAL_P95_MS;
  log(`goal operator p95 ≤ ${GOAL_P95_MS} ms for both pages (${opFirst.p95.toFixed(1)} / ${opDeep.p95.toFixed(1)} ms): ${listMet ? 'met' : 'NOT met'}`);
  log(`goal ≤ ${GOAL_CHECK_CPU_MS} ms of server CPU per permission check (${fmt(checkTotal)} ms): ${checkTotal <= GOAL_CHECK_CPU_MS ? 'met' : 'NOT met'}`);
  if (runner.results.some((r) => r.errors > 0)) process.exitCode = 1;
});
