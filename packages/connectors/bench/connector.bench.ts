/**
 * npm run bench:connector [-- --targets 20 --accounts 5 --concurrency 8 --verify-rounds 6 --change-rounds 2 --cli-rounds 2]
 * (or BENCH_TARGETS, BENCH_ACCOUNTS, BENCH_CONCURRENCY, BENCH_VERIFY_ROUNDS, BENCH_CHANGE_ROUNDS, BENCH_CLI_ROUNDS)
 *
 * Starts N real sshd targets with M accounts each and measures, in the same run and on the
 * same accounts, verify (password login) and change password (passwd on stdin) through:
 *   connector — createSshConnector (validation, host-key pins, limits, deadlines, error mapping)
 *   raw-ssh2  — the fewest ssh2 calls doing the same protocol steps (noDelay, pinned key)
 *   openssh   — sshpass -e ssh under xargs -P (one ssh process per operation)
 * and prints ops/s, p95 latency, client CPU per operation and connector/raw-ssh2 ratios.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { startSshTargets, type SshTarget } from '@passman/testkit';
import { createSshConnector } from '../src/index.js';
import { runOpensshPhase } from './openssh-cli.js';
import { rawChangePassword, rawVerify } from './raw-ssh2.js';
import { cpuPerOp, opsPerSecond, percentile, runPool, type PhaseResult } from './stats.js';

const { values } = parseArgs({
  options: {
    targets: { type: 'string' },
    accounts: { type: 'string' },
    concurrency: { type: 'string' },
    'verify-rounds': { type: 'string' },
    'change-rounds': { type: 'string' },
    'cli-rounds': { type: 'string' },
  },
});
const num = (arg: string | undefined, env: string, fallback: number): number => Number(arg ?? process.env[env] ?? fallback);
const N = num(values.targets, 'BENCH_TARGETS', 20);
const M = num(values.accounts, 'BENCH_ACCOUNTS', 5);
const C = num(values.concurrency, 'BENCH_CONCURRENCY', 8);
const VERIFY_ROUNDS = num(values['verify-rounds'], 'BENCH_VERIFY_ROUNDS', 6);
/** The openssh reference is several times slower; fewer verify rounds keep the run short. */
const CLI_ROUNDS = num(values['cli-rounds'], 'BENCH_CLI_ROUNDS', 2);
const CHANGE_ROUNDS = num(values['change-rounds'], 'BENCH_CHANGE_ROUNDS', 2);

interface Account {
  target: SshTarget;
  user: string;
  password: string;
}

const newPassword = (): string => `Bench-${randomBytes(9).toString('base64url')}`;

/** Round-robin over targets so concurrent operations spread like a bulk check would. */
function interleave(accounts: readonly Account[], rounds: number): Account[] {
  const order: Account[] = [];
  for (let r = 0; r < rounds; r++) {
    for (let a = 0; a < M; a++) for (let t = 0; t < N; t++) order.push(accounts[t * M + a]!);
  }
  return order;
}

async function measure(client: string, operation: string, items: readonly Account[], work: (a: Account) => Promise<void>): Promise<PhaseResult> {
  const cpu = process.cpuUsage();
  const started = performance.now();
  const { latenciesMs, failures, errors } = await runPool(items, C, work);
  const wallMs = performance.now() - started;
  const used = process.cpuUsage(cpu);
  if (errors.length > 0) console.error(`${client} ${operation}: ${errors.length} failures, first:`, errors[0]);
  return { client, operation, ops: items.length, failures, wallMs, cpuMs: (used.user + used.system) / 1000, latenciesMs };
}

async function main(): Promise<void> {
  console.log(
    `bench:connector — ${N} targets × ${M} accounts, concurrency ${C}, verify ×${VERIFY_ROUNDS} (openssh ×${CLI_ROUNDS}), change ×${CHANGE_ROUNDS} (openssh ×1)`,
  );
  console.log(`node ${process.version}, ${availableParallelism()} cores`);
  const accounts: Account[] = [];
  const group = await startSshTargets({
    count: N,
    logLevel: 'INFO',
    pamFailDelay: true,
    perTarget: (t) => ({
      users: Array.from({ length: M }, (_, a) => {
        const account = { user: `bench${a}`, password: newPassword() };
        accounts[t * M + a] = { ...account, target: undefined as unknown as SshTarget };
        return { name: account.user, password: account.password };
      }),
    }),
  });
  group.targets.forEach((target, t) => {
    for (let a = 0; a < M; a++) accounts[t * M + a]!.target = target;
  });
  const dir = mkdtempSync('/tmp/passman-bench-');
  const knownHosts = group.targets.flatMap((t) => t.hostKeys.map((k) => `[${t.host}]:${t.port} ${k.publicKey}\n`)).join('');
  const connector = createSshConnector();
  const endpoint = (a: Account) => ({ host: a.target.host, port: a.target.port, hostKeyPins: a.target.fingerprints });
  const raw = (a: Account) => ({ host: a.target.host, port: a.target.port, pin: a.target.fingerprints[0]!, username: a.user, password: a.password });

  const results: PhaseResult[] = [];
  const cli = async (operation: string, items: Account[], change: boolean): Promise<PhaseResult> => {
    const jobs = items.map((a) => ({
      host: a.target.host,
      port: a.target.port,
      user: a.user,
      password: a.password,
      ...(change ? { newPassword: newPassword() } : {}),
    }));
    const phase = await runOpensshPhase(dir, jobs, C, knownHosts);
    if (change) items.forEach((a, i) => (a.password = jobs[i]!.newPassword!));
    return { client: 'openssh', operation, ops: items.length, ...phase };
  };
  try {
    // Warm-up (untimed): JIT, and passwd once per account so every timed phase logs in
    // against the target's default hash (yescrypt), as it would in the field.
    await runPool(accounts, C, async (a) => {
      const next = newPassword();
      await connector.changePassword({ target: endpoint(a), username: a.user, newPassword: next, via: { method: 'self', currentPassword: a.password } });
      a.password = next;
      await rawVerify(raw(a));
    });

    // Connector and raw-ssh2 alternate round by round, in alternating order, so drift in the
    // machine's load hits both alike; openssh (several times slower) runs after them.
    const round = interleave(accounts, 1);
    const connectorVerify = (a: Account) =>
      connector.verify({ target: endpoint(a), login: { username: a.user, credential: { type: 'password', password: a.password } } }).then(() => undefined);
    for (let r = 0; r < VERIFY_ROUNDS; r++) {
      const pair = [() => measure('connector', 'verify', round, connectorVerify), () => measure('raw-ssh2', 'verify', round, (a) => rawVerify(raw(a)))];
      for (const run of r % 2 === 0 ? pair : pair.reverse()) results.push(await run());
    }
    results.push(await cli('verify', interleave(accounts, CLI_ROUNDS), false));

    // Each change round visits every account once (an account's changes must be sequential).
    const connectorChange = async (a: Account): Promise<void> => {
      const next = newPassword();
      await connector.changePassword({ target: endpoint(a), username: a.user, newPassword: next, via: { method: 'self', currentPassword: a.password } });
      a.password = next;
    };
    const rawChange = async (a: Account): Promise<void> => {
      const next = newPassword();
      await rawChangePassword(raw(a), next);
      a.password = next;
    };
    for (let r = 0; r < CHANGE_ROUNDS; r++) {
      const pair = [() => measure('connector', 'change', round, connectorChange), () => measure('raw-ssh2', 'change', round, rawChange)];
      for (const run of r % 2 === 0 ? pair : pair.reverse()) results.push(await run());
    }
    results.push(await cli('change', round, true));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await group.stop();
  }
  report(results);
}

function merge(results: readonly PhaseResult[], client: string, operation: string): PhaseResult | undefined {
  const parts = results.filter((r) => r.client === client && r.operation === operation);
  if (parts.length === 0) return undefined;
  return parts.reduce((acc, r) => ({
    ...acc,
    ops: acc.ops + r.ops,
    failures: acc.failures + r.failures,
    wallMs: acc.wallMs + r.wallMs,
    cpuMs: acc.cpuMs + r.cpuMs,
    latenciesMs: [...acc.latenciesMs, ...r.latenciesMs],
  }));
}

function report(results: readonly PhaseResult[]): void {
  const fmt = (n: number, digits = 1): string => n.toFixed(digits);
  console.log('\n| operation | client | ops | failures | ops/s | p95 ms | client CPU ms/op |');
  console.log('|---|---|---:|---:|---:|---:|---:|');
  for (const operation of ['verify', 'change']) {
    for (const client of ['connector', 'raw-ssh2', 'openssh']) {
      const r = merge(results, client, operation);
      if (!r) continue;
      console.log(
        `| ${operation} | ${client} | ${r.ops} | ${r.failures} | ${fmt(opsPerSecond(r))} | ${fmt(percentile(r.latenciesMs, 95))} | ${fmt(cpuPerOp(r), 2)} |`,
      );
    }
  }
  console.log(
    '\n| operation | connector/raw-ssh2 throughput | connector/raw-ssh2 CPU per op | connector/openssh throughput | connector/openssh CPU per op | goal (≥0.9×, ≤1.2×) |',
  );
  console.log('|---|---:|---:|---:|---:|---|');
  let allMet = true;
  for (const operation of ['verify', 'change']) {
    const c = merge(results, 'connector', operation);
    const r = merge(results, 'raw-ssh2', operation);
    const o = merge(results, 'openssh', operation);
    if (!c || !r || !o) continue;
    const throughput = opsPerSecond(c) / opsPerSecond(r);
    const cpu = cpuPerOp(c) / cpuPerOp(r);
    const met = throughput >= 0.9 && cpu <= 1.2 && c.failures === 0;
    allMet &&= met;
    console.log(
      `| ${operation} | ${fmt(throughput, 2)}× | ${fmt(cpu, 2)}× | ${fmt(opsPerSecond(c) / opsPerSecond(o), 2)}× | ${fmt(cpuPerOp(c) / cpuPerOp(o), 2)}× | ${met ? 'met' : 'NOT met'} |`,
    );
  }
  if (!allMet) process.exitCode = 1;
}

await main();
