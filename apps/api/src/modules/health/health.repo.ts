import type { DbClient } from '../../db/transaction.js';

export function createHealthRepo(db: DbClient) {
  return {
    ping: async (): Promise<void> => {
      await db.$queryRaw`SELECT 1`;
    },
    appliedMigrations: async () => {
      const rows = await db.$queryRaw<{ migration_name: string }[]>`
        SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL`;
      return rows.map((r) => r.migration_name);
    },
  };
}

export type HealthRepo = ReturnType<typeof createHealthRepo>;
