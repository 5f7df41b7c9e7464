import type { HealthRepo } from './health.repo.js';

export interface Readiness {
  ready: boolean;
  checks: { database: 'ok' | 'unreachable'; migrations: 'current' | 'pending' | 'unknown'; pendingMigrations?: string[] };
}

export function createHealthService(deps: { repo: HealthRepo; migrationNames: string[]; timeoutMs?: number }) {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const withTimeout = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);

  return {
    async readiness(): Promise<Readiness> {
      try {
        await withTimeout(deps.repo.ping());
      } catch {
        return { ready: false, checks: { database: 'unreachable', migrations: 'unknown' } };
      }
      const applied = new Set(await withTimeout(deps.repo.appliedMigrations()).catch(() => [] as string[]));
      const pending = deps.migrationNames.filter((n) => !applied.has(n));
      return pending.length === 0
        ? { ready: true, checks: { database: 'ok', migrations: 'current' } }
        : { ready: false, checks: { database: 'ok', migrations: 'pending', pendingMigrations: pending } };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
