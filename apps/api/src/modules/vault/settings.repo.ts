import type { DbClient } from '../../db/transaction.js';

export function createSettingsRepo(db: DbClient) {
  return {
    get: async (key: string) => (await db.systemSetting.findUnique({ where: { key } }))?.value ?? null,
    put: (key: string, value: string) => db.systemSetting.upsert({ where: { key }, create: { key, value }, update: { value } }),
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
