import type { HealthRepo } from './health.repo.js';

export interface Readiness {
  ready: boolean;
  checks: {
    database: 'ok' | 'unreachable';
    migrations: 'current' | 'pending' | 'unknown';
    pendingMigrations?: string[];
    vault: 'unsealed' | 'sealed';
    sealedReason?: string;
  };
}

export function createHealthService(deps: {
  repo: HealthRepo;
  migrationNames: string[];
  vault: { sealed: boolean; sealedReason: string | undefined };
  timeoutMs?: number;
}) {
  const timeoutMs = deps.timeoutMs ?? 2_000;
  const withTimeout = <T>(p: Promise<T>) =>
    Promise.race([p, new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timeout')), timeoutMs).unref())]);

  return {
    async readiness(): Promise<Readiness> {
      const vault = deps.vault.sealed ? ({ vault: 'sealed', sealedReason: deps.vault.sealedReason } as const) : ({ vault: 'unsealed' } as const);
      try {
        await withTimeout(deps.repo.ping());
      } catch {
        return { ready: false, checks: { database: 'unreachable', migrations: 'unknown', ...vault } };
      }
      const applied = new Set(await withTimeout(deps.repo.appliedMigrations()).catch(() => [] as string[]));
      const pending = deps.migrationNames.filter((n) => !applied.has(n));
      const migrations = pending.length === 0 ? ({ migrations: 'current' } as const) : ({ migrations: 'pending', pendingMigrations: pending } as const);
      // Sealed is not ready: PassMan cannot do its main job until the master key is fixed.
      return { ready: pending.length === 0 && !deps.vault.sealed, checks: { database: 'ok', ...migrations, ...vault } };
    },
  };
}

export type HealthService = ReturnType<typeof createHealthService>;
