import { randomBytes } from 'node:crypto';
import { startTestDatabaseServer } from '@passman/testkit';
import { runFuzz } from './run-fuzz.js';

/**
 * `npm run fuzz -- --seed N --runs N [--path P]` (or FUZZ_SEED / FUZZ_RUNS): the fuzz test at
 * any size and seed, against the PostgreSQL of DATABASE_URL (or an embedded one). A failure
 * prints the seed, fast-check's path and the request; the same arguments replay it.
 */
const out = (line: string) => process.stdout.write(`${line}\n`);
const err = (line: string) => process.stderr.write(`${line}\n`);

function option(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const seed = Number(option('seed') ?? process.env.FUZZ_SEED ?? Math.floor(Math.random() * 2 ** 31));
const runs = Number(option('runs') ?? process.env.FUZZ_RUNS ?? 20_000);
const path = option('path');
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(runs) || runs < 1) {
  err('usage: npm run fuzz -- [--seed <integer>] [--runs <count>] [--path <fast-check path>]');
  process.exit(2);
}

// What jest's global setup gives every test API: the audit chain's key material of the run.
process.env.PASSMAN_TEST_AUDIT_SECRET ??= randomBytes(32).toString('base64');
const server = await startTestDatabaseServer();
const started = Date.now();
out(`fuzzing with seed ${seed}, ${runs} requests${path ? `, path ${path}` : ''}`);
try {
  const report = await runFuzz({ adminUrl: server.adminUrl, seed, runs, ...(path ? { path } : {}) });
  for (const op of report.operations) {
    const counts = Object.entries(report.statuses[op] ?? {}).map(([status, n]) => `${status}×${n}`);
    out(`${op.padEnd(28)} ${String(Math.round(report.elapsedMs[op] ?? 0)).padStart(7)} ms  ${counts.join(' ')}`);
  }
  out(`${runs} requests in ${((Date.now() - started) / 1000).toFixed(0)} s, seed ${seed}: no 5xx, every error problem+json`);
} catch (error) {
  err(error instanceof Error ? error.message : String(error));
  process.exitCode = 1;
} finally {
  await server.stop();
}
