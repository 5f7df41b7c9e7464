/**
 * `npm run bench:import` — importing 100,000 rows of a CSV file (POST /imports, the real run)
 * into PassMan run as `npm start` runs it (apps/api/dist/main.js, its node flags and allocator
 * setting, in a CHILD process, so its peak RSS — /proc/<pid>/status VmHWM — is PassMan's alone).
 *
 * The file: 100,000 accounts with their passwords on 10,000 targets in 100 folders two levels
 * deep (Group_path). Measured in the same run:
 *   (a) the import through the API (multipart upload, streaming parse, checks, a transaction per
 *       1,000 rows with the audit events of every folder, target, account and credential);
 *   (b) the same file again: every row already there (the idempotent rerun: each stored
 *       password decrypted and compared);
 *   (c) the baseline: the same rows written as bare set-based SQL through `pg` from this process
 *       — targets, accounts, credentials and their encrypted versions, 1,000 rows a statement —
 *       with no upload, no parse, no checks, no rights and no audit: the floor any import pays.
 * Prints the times, the ratios (a) ÷ (c) and (b) ÷ (c), rows per second and PassMan's peak RSS
 * against the goals (≤ 60 s, ≤ 300 MB). Bounded (< 15 min); drops its database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:net';
import { performance } from 'node:perf_hooks';
import { hasImportEnded, type ImportState } from '@passman/contracts';
import { createMigratedDatabase, dropDatabase, startTestDatabaseServer } from '@passman/testkit';
import { CREDENTIAL_SECRET_PURPOSE, createMasterKeyRing, createVault } from '@passman/vault';
import pg from 'pg';
import { log, machineLoad } from './harness.js';
import { BUILT, startPassMan } from './jobs/passman-processes.js';
import { kb } from './jobs/process-meter.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const ACCOUNTS_PER_TARGET = 10;
const FOLDERS = 100;
const GOAL_MS = 60_000;
const GOAL_RSS_MB = 300;
const BATCH = 1000;
const BUDGET_MS = 15 * 60_000;

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(1)} s`;
const watchdog = setTimeout(() => {
  process.stderr.write(`bench:import: over its budget of ${BUDGET_MS / 1000} s, giving up\n`);
  process.exit(1);
}, BUDGET_MS);
watchdog.unref();

const freePort = () =>
  new Promise<number>((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });

/** The file, built row by row into one buffer (this process keeps nothing else of it). */
function makeFile(): Buffer {
  const parts = ['Target_type,Target,Account,Password,Group_path,Description,URL\n'];
  for (let i = 0; i < ROWS; i += 1) {
    const t = Math.floor(i / ACCOUNTS_PER_TARGET);
    parts.push(
      `ssh,host-${t}.bench.internal,svc${i % ACCOUNTS_PER_TARGET},Aa1!${randomBytes(12).toString('base64url')},Site${t % 10}/Team${t % FOLDERS},imported by the bench,\n`,
    );
  }
  return Buffer.from(parts.join(''));
}

const cleanups: (() => Promise<unknown>)[] = [];
try {
  log(`load average ${machineLoad()} (other work on the machine skews time; the ratio to the baseline holds up better)`);
  const server = await startTestDatabaseServer();
  cleanups.push(() => server.stop());
  const databaseUrl = await createMigratedDatabase(server.adminUrl, 'passman_bench_import');
  cleanups.push(() => dropDatabase(server.adminUrl, databaseUrl));
  const port = await freePort();
  const adminPassword = `bench-${randomBytes(12).toString('base64url')}`;
  const masterKey = randomBytes(32);
  const api = startPassMan('server', {
    DATABASE_URL: databaseUrl,
    PASSMAN_MASTER_KEY: masterKey.toString('base64'),
    PASSMAN_LOG_LEVEL: 'warn',
    PASSMAN_ADMIN_PASSWORD: adminPassword,
    PASSMAN_HOST: '127.0.0.1',
    PASSMAN_PORT: String(port),
    PASSMAN_WEB_DIST: '/nonexistent',
    PASSMAN_TLS: 'off',
  });
  cleanups.push(() => api.stop());
  const pid = api.child.pid!;
  const origin = `http://127.0.0.1:${port}`;
  for (;;) {
    if (api.child.exitCode !== null) throw new Error(`PassMan exited with ${api.child.exitCode}`);
    if (
      await fetch(`${origin}/healthz`).then(
        (r) => r.ok,
        () => false,
      )
    )
      break;
    await new Promise((r) => setTimeout(r, 100));
  }
  log(
    `PassMan (pid ${pid}, ${BUILT ? 'apps/api/dist/main.js, as npm start runs it' : 'main.ts through tsx'}) up at ${elapsed()}; RSS ${(kb(pid, 'VmRSS') / 1024).toFixed(0)} MB`,
  );

  const csv = makeFile();
  log(`file: ${ROWS} rows, ${(csv.length / 1024 / 1024).toFixed(1)} MiB`);
  const login = await fetch(`${origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: adminPassword }),
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');

  let peakKb = kb(pid, 'VmRSS');
  const sampler = setInterval(() => (peakKb = Math.max(peakKb, kb(pid, 'VmRSS'))), 20);
  cleanups.push(async () => clearInterval(sampler));

  async function importOnce(label: string) {
    const t = performance.now();
    const form = new FormData();
    form.set('file', new Blob([csv], { type: 'text/csv' }), 'bench.csv');
    form.set('dryRun', 'false');
    const res = await fetch(`${origin}/api/v1/imports`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, body: form });
    if (res.status !== 202) throw new Error(`POST /imports answered ${res.status}: ${await res.text()}`);
    const { id } = (await res.json()) as { id: string };
    let run: { state: ImportState; counts: Record<string, number> };
    for (;;) {
      run = (await (await fetch(`${origin}/api/v1/imports/${id}?limit=1`, { headers: { cookie } })).json()) as typeof run;
      if (hasImportEnded(run.state)) break;
      await new Promise((r) => setTimeout(r, 250));
    }
    const ms = performance.now() - t;
    log(`${label}: ${(ms / 1000).toFixed(1)} s, ${Math.round(ROWS / (ms / 1000))} rows/s — ${run.state} ${JSON.stringify(run.counts)}`);
    return { ms, run };
  }

  const first = await importOnce('(a) import, real run');
  const again = await importOnce('(b) same file again');
  const hwmMb = kb(pid, 'VmHWM') / 1024;

  // (c) The floor: the same rows as bare SQL, into a folder of their own.
  const vault = createVault({ keyRing: createMasterKeyRing({ keys: new Map([[1, masterKey]]), activeVersion: 1 }) });
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  cleanups.push(() => client.end());
  const lines = csv.toString('utf8').trim().split('\n').slice(1);
  const tBase = performance.now();
  const root = (await client.query<{ id: string }>('SELECT id FROM folders WHERE parent_id IS NULL')).rows[0]!.id;
  const newFolder = async (parent: string, name: string) =>
    (
      await client.query<{ id: string }>(`INSERT INTO folders (id, parent_id, name, updated_at) VALUES (gen_random_uuid(), $1, $2, now()) RETURNING id`, [
        parent,
        name,
      ])
    ).rows[0]!.id;
  const baseFolder = await newFolder(root, 'Baseline');
  const folderOf = new Map<string, string>();
  for (let at = 0; at < lines.length; at += BATCH) {
    const batch = lines.slice(at, at + BATCH).map((line) => {
      const [, target, account, password, group] = line.split(',') as [string, string, string, string, string];
      return { target, account, password, group };
    });
    for (const group of new Set(batch.map((r) => r.group))) {
      if (folderOf.has(group)) continue;
      const [site, team] = group.split('/') as [string, string];
      if (!folderOf.has(site)) folderOf.set(site, await newFolder(baseFolder, site));
      folderOf.set(group, await newFolder(folderOf.get(site)!, team));
    }
    await client.query('BEGIN');
    const targets = [...new Map(batch.map((r) => [r.target, r])).values()];
    const targetIds = await client.query<{ id: string; name: string }>(
      `INSERT INTO targets (id, folder_id, name, address, port, connector_kind, description, tags, updated_at)
       SELECT gen_random_uuid(), f, n, n, 22, 'ssh', '', '{}', now() FROM unnest($1::uuid[], $2::text[]) AS w(f, n) RETURNING id, name`,
      [targets.map((r) => folderOf.get(r.group)), targets.map((r) => r.target)],
    );
    const idOf = new Map(targetIds.rows.map((r) => [r.name, r.id]));
    const accounts = await client.query<{ id: string }>(
      `INSERT INTO accounts (id, target_id, username, description, updated_at)
       SELECT gen_random_uuid(), t, u, 'imported by the bench', now() FROM unnest($1::uuid[], $2::text[]) WITH ORDINALITY AS w(t, u, n) ORDER BY n RETURNING id`,
      [batch.map((r) => idOf.get(r.target)), batch.map((r) => r.account)],
    );
    const credentialIds = batch.map(() => randomUUID());
    await client.query(
      `INSERT INTO credentials (id, account_id, type, slot, updated_at) SELECT c, a, 'PASSWORD', 'password', now() FROM unnest($1::uuid[], $2::uuid[]) AS w(c, a)`,
      [credentialIds, accounts.rows.map((r) => r.id)],
    );
    const sealed = batch.map((r, i) => vault.encrypt(r.password, { credentialId: credentialIds[i]!, version: 1, purpose: CREDENTIAL_SECRET_PURPOSE }));
    await client.query(
      `INSERT INTO credential_versions (id, credential_id, version, state, origin, ciphertext, wrapped_key, key_version, compliant)
       SELECT gen_random_uuid(), c, 1, 'CURRENT', 'IMPORTED', x, k, v, true FROM unnest($1::uuid[], $2::bytea[], $3::bytea[], $4::int[]) AS w(c, x, k, v)`,
      [credentialIds, sealed.map((s) => Buffer.from(s.ciphertext)), sealed.map((s) => Buffer.from(s.wrappedKey)), sealed.map((s) => s.keyVersion)],
    );
    await client.query('COMMIT');
  }
  const baseMs = performance.now() - tBase;
  log(`(c) baseline, bare SQL: ${(baseMs / 1000).toFixed(1)} s, ${Math.round(ROWS / (baseMs / 1000))} rows/s`);

  log('');
  log(`import ÷ baseline: ${(first.ms / baseMs).toFixed(2)}×; rerun ÷ baseline: ${(again.ms / baseMs).toFixed(2)}×`);
  log(`goal: ${ROWS} rows ≤ ${GOAL_MS / 1000} s — ${(first.ms / 1000).toFixed(1)} s ${first.ms <= GOAL_MS ? 'met' : 'NOT met'}`);
  log(
    `goal: PassMan peak RSS ≤ ${GOAL_RSS_MB} MB — VmHWM ${hwmMb.toFixed(0)} MB (highest sampled VmRSS ${(peakKb / 1024).toFixed(0)} MB) ${hwmMb <= GOAL_RSS_MB ? 'met' : 'NOT met'}`,
  );
  log(`load average after: ${machineLoad()}; total ${elapsed()}`);
  if (first.run.counts.create !== ROWS || again.run.counts.unchanged !== ROWS) throw new Error('the import did not do what it should');
} finally {
  for (const cleanup of cleanups.reverse()) await cleanup().catch(() => undefined);
}
