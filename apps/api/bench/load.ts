import http from 'node:http';
import { performance } from 'node:perf_hooks';

/** Latency figures of one scenario, in milliseconds. */
export interface LoadResult {
  name: string;
  requests: number;
  errors: number;
  seconds: number;
  rps: number;
  p50: number;
  p95: number;
  p99: number;
  max: number;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

/**
 * Runs `op` from `concurrency` closed-loop clients: a warm-up, then `durationMs` measured
 * (each client stops starting requests at the deadline, or after `maxRequests` in all).
 */
export async function drive(
  name: string,
  op: () => Promise<void>,
  options: { concurrency: number; durationMs: number; warmupMs: number; maxRequests?: number; onMeasureStart?: () => void | Promise<void> },
): Promise<LoadResult> {
  const warmupEnd = performance.now() + options.warmupMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < warmupEnd) await op().catch(() => undefined);
    }),
  );

  await options.onMeasureStart?.();
  const latencies: number[] = [];
  let errors = 0;
  let started = 0;
  const max = options.maxRequests ?? Number.POSITIVE_INFINITY;
  const begin = performance.now();
  const deadline = begin + options.durationMs;
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (performance.now() < deadline && started < max) {
        started += 1;
        const t0 = performance.now();
        try {
          await op();
          latencies.push(performance.now() - t0);
        } catch {
          errors += 1;
        }
      }
    }),
  );
  const seconds = (performance.now() - begin) / 1000;
  latencies.sort((a, b) => a - b);
  return {
    name,
    requests: latencies.length,
    errors,
    seconds,
    rps: latencies.length / seconds,
    p50: percentile(latencies, 50),
    p95: percentile(latencies, 95),
    p99: percentile(latencies, 99),
    max: latencies.at(-1) ?? Number.NaN,
  };
}

/** A keep-alive HTTP client for one origin; `get` resolves with the body of a 200 and rejects otherwise. */
export function httpClient(origin: string, maxSockets: number) {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const url = new URL(origin);
  return {
    get(path: string, headers: Record<string, string> = {}): Promise<string> {
      return new Promise((resolve, reject) => {
        const req = http.request({ host: url.hostname, port: url.port, path, method: 'GET', agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const body = Buffer.concat(chunks).toString('utf8');
            if (res.statusCode === 200) resolve(body);
            else reject(new Error(`GET ${path.split('?')[0]} answered ${res.statusCode}: ${body.slice(0, 200)}`));
          });
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      });
    },
    close: () => agent.destroy(),
  };
}

const fmt = (n: number, digits = 1) => (Number.isFinite(n) ? n.toFixed(digits) : '-');

/** A column of p95 ratios: each scenario's p95 divided by its baseline's (no baseline, no figure). */
export interface RatioColumn {
  label: string;
  baselineOf: (r: LoadResult) => LoadResult | undefined;
}

/** A Markdown table of the results, with each p95 as a multiple of its baselines' and the CPU each request cost. */
export function table(results: LoadResult[], ratios: RatioColumn[], cpu: Map<string, { mainThreadMs: number | null; postgresMs: number | null }>): string {
  const lines = [
    `| scenario | requests | errors | req/s | p50 ms | p95 ms | p99 ms | max ms | ${ratios.map((c) => `${c.label} | `).join('')}main-thread CPU ms/req | PostgreSQL CPU ms/req |`,
    `|---|---:|---:|---:|---:|---:|---:|---:|${ratios.map(() => '---:|').join('')}---:|---:|`,
  ];
  for (const r of results) {
    const c = cpu.get(r.name);
    const ratioCells = ratios.map((col) => {
      const base = col.baselineOf(r);
      return base && base !== r ? `${fmt(r.p95 / base.p95)}× | ` : ' | ';
    });
    lines.push(
      `| ${r.name} | ${r.requests} | ${r.errors} | ${fmt(r.rps, 0)} | ${fmt(r.p50)} | ${fmt(r.p95)} | ${fmt(r.p99)} | ${fmt(r.max)} | ${ratioCells.join('')}` +
        `${fmt(c?.mainThreadMs ?? Number.NaN, 2)} | ${fmt(c?.postgresMs ?? Number.NaN, 2)} |`,
    );
  }
  return lines.join('\n');
}
