/**
 * `npm run bench:import` — importing 100,000 rows of a CSV file (POST /imports, the real run) on
 * the real app: how long until the last row is in, and the process's peak resident memory.
 *
 * The file: 100,000 accounts with their passwords on 10,000 targets in 100 folders two levels
 * deep (Group_path). Measured in the same run:
 *   (a) the import through the API (multipart upload, streaming parse, checks, a transaction per
 *       500 rows with the audit events of every folder, target, account and credential);
 *   (b) the same import again: every row already there (the idempotent rerun: each stored
 *       password decrypted and compared);
 *   (c) the baseline: the same rows written as bare set-based SQL through `pg` — targets,
 *       accounts, credentials and their encrypted versions, 500 rows a statement — with no parse,
 *       no checks, no rights and no audit: the floor any import of these rows pays.
 * Prints the times, the ratio (a) ÷ (c), rows per second and the peak RSS (sampled every 20 ms)
 * against the goals (≤ 60 s, ≤ 300 MB). Bounded (< 5 min); drops its database.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import { CREDENTIAL_SECRET_PURPOSE } from '@passman/vault';
import pg from 'pg';
import { log, machineLoad, runBench, since, startApi } from './harness.js';

const ROWS = Number(process.env.BENCH_IMPORT_ROWS ?? 100_000);
const ACCOUNTS_PER_TARGET = 10;
const FOLDERS = 100;
const GOAL_MS = 60_000;
const GOAL_RSS_MB = 300;
const BATCH = 500;

const mb = (bytes: number) => Math.round(bytes / 1024 / 1024);

/** Peak resident memory of this process while `fn` runs. */
async function peakRss<T>(fn: () => Promise<T>): Promise<{ result: T; peak: number }> {
  let peak = process.memoryUsage.rss();
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 20);
  try {
    const result = await fn();
    return { result, peak: Math.max(peak, process.memoryUsage.rss()) };
  } finally {
    clearInterval(timer);
  }
}

const password = () => `Aa1!${randomBytes(12).toString('base64url')}`;

function makeFile(): { csv: Buffer; rows: { group: string; target: string; account: string; password: string }[] } {
  const rows = [];
  const lines = ['Target_type,Target,Account,Password,Group_path,Description,URL'];
  for (let i = 0; i < ROWS; i += 1) {
    const t = Math.floor(i / ACCOUNTS_PER_TARGET);
    const group = `Site${t % 10}/Team${t % FOLDERS}`;
    const row = { group, target: `host-${t}.bench.internal`, account: `svc${i % ACCOUNTS_PER_TARGET}`, password: password() };
    rows.push(row);
    lines.push(`ssh,${row.target},${row.account},${row.password},${row.group},imported by the bench,`);
  }
  return { csv: Buffer.from(`${lines.join('\n')}\n`), rows };
}

await runBench('bench:import', 300_000, async (bench) => {
  const api = await startApi(bench);
  const { csv, rows } = makeFile();
  log(`file: ${ROWS} rows, ${(csv.length / 1024 / 1024).toFixed(1)} MiB; RSS before ${mb(process.memoryUsage.rss())} MB`);

  const login = await fetch(`${api.origin}/api/v1/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username: 'admin', password: api.adminPassword }),
  });
  const { csrfToken } = (await login.json()) as { csrfToken: string };
  const cookie = login.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');

  async function importOnce(label: string) {
    const t = performance.now();
    const { result, peak } = await peakRss(async () => {
      const form = new FormData();
      form.set('file', new Blob([csv], { type: 'text/csv' }), 'bench.csv');
      form.set('dryRun', 'false');
      const res = await fetch(`${api.origin}/api/v1/imports`, { method: 'POST', headers: { cookie, 'x-csrf-token': csrfToken }, body: form });
      if (res.status !== 202) throw new Error(`POST /imports answered ${res.status}: ${await res.text()}`);
      const { id } = (await res.json()) as { id: string };
      await api.services.imports.idle();
      return (await (await fetch(`${api.origin}/api/v1/imports/${id}?limit=1`, { headers: { cookie } })).json()) as {
        state: string;
        counts: Record<string, number>;
      };
    });
    const ms = performance.now() - t;
    log(
      `${label}: ${(ms / 1000).toFixed(1)} s, ${Math.round(ROWS / (ms / 1000))} rows/s, peak RSS ${mb(peak)} MB — ${result.state} ${JSON.stringify(result.counts)}`,
    );
    return { ms, peak, result };
  }

  const first = await importOnce('(a) import, real run');
  const again = await importOnce('(b) same file again');

  // (c) The floor: the same rows as bare SQL, into a folder of their own.
  const client = new pg.Client({ connectionString: bench.databaseUrl });
  await client.connect();
  bench.defer(() => client.end());
  const tBase = performance.now();
  const root = (await client.query<{ id: string }>('SELECT id FROM folders WHERE parent_id IS NULL')).rows[0]!.id;
  const baseFolder = (
    await client.query<{ id: string }>(`INSERT INTO folders (id, parent_id, name, updated_at) VALUES (gen_random_uuid(), $1, 'Baseline', now()) RETURNING id`, [
      root,
    ])
  ).rows[0]!.id;
  const folderOf = new Map<string, string>();
  for (const group of new Set(rows.map((r) => r.group))) {
    const [site, team] = group.split('/') as [string, string];
    let siteId = folderOf.get(site);
    if (!siteId) {
      siteId = (
        await client.query<{ id: string }>(`INSERT INTO folders (id, parent_id, name, updated_at) VALUES (gen_random_uuid(), $1, $2, now()) RETURNING id`, [
          baseFolder,
          site,
        ])
      ).rows[0]!.id;
      folderOf.set(site, siteId);
    }
    folderOf.set(
      group,
      (
        await client.query<{ id: string }>(`INSERT INTO folders (id, parent_id, name, updated_at) VALUES (gen_random_uuid(), $1, $2, now()) RETURNING id`, [
          siteId,
          team,
        ])
      ).rows[0]!.id,
    );
  }
  for (let at = 0; at < rows.length; at += BATCH) {
    const batch = rows.slice(at, at + BATCH);
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
    const sealed = batch.map((r, i) =>
      api.services.vault.encrypt(r.password, { credentialId: credentialIds[i]!, version: 1, purpose: CREDENTIAL_SECRET_PURPOSE }),
    );
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
    `goal: peak RSS ≤ ${GOAL_RSS_MB} MB — ${mb(Math.max(first.peak, again.peak))} MB ${Math.max(first.peak, again.peak) <= GOAL_RSS_MB * 1024 * 1024 ? 'met' : 'NOT met'}`,
  );
  log(`(the RSS is this whole process: PassMan and the bench's own copy of the file and its rows)`);
  log(`load average after: ${machineLoad()}; total ${since(bench.startedAt)}`);
  if (first.result.counts.create !== ROWS || again.result.counts.unchanged !== ROWS) throw new Error('the import did not do what it should');
});
