export interface PhaseResult {
  client: string;
  operation: string;
  ops: number;
  failures: number;
  wallMs: number;
  /** Client CPU (user + system) over the phase, in ms. */
  cpuMs: number;
  latenciesMs: number[];
}

export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const index = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[index]!;
}

export const opsPerSecond = (r: PhaseResult): number => (r.ops / r.wallMs) * 1000;
export const cpuPerOp = (r: PhaseResult): number => r.cpuMs / r.ops;

/** Runs `work` over `items` with at most `concurrency` in flight; records each latency. */
export async function runPool<T>(
  items: readonly T[],
  concurrency: number,
  work: (item: T) => Promise<void>,
): Promise<{ latenciesMs: number[]; failures: number; errors: unknown[] }> {
  const latenciesMs: number[] = [];
  const errors: unknown[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const item = items[next++]!;
      const started = performance.now();
      try {
        await work(item);
        latenciesMs.push(performance.now() - started);
      } catch (err) {
        errors.push(err);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, items.length) }, worker));
  return { latenciesMs, failures: errors.length, errors };
}
