import type { DbClient } from '../../db/transaction.js';

export function createSettingsRepo(db: DbClient) {
  return {
    get: async (key: string) => (await db.systemSetting.findUnique({ where: { key } }))?.value ?? null,
    put: (key: string, value: string) => db.systemSetting.upsert({ where: { key }, create: { key, value }, update: { value } }),
    /** Stores `value` unless the key already has one (two processes starting at once keep the first); returns the value stored. */
    putIfAbsent: async (key: string, value: string): Promise<string> => {
      await db.$executeRaw`INSERT INTO system_settings (key, value, updated_at) VALUES (${key}, ${value}, now()) ON CONFLICT (key) DO NOTHING`;
      return (await db.systemSetting.findUniqueOrThrow({ where: { key } })).value;
    },
    /** Replaces the value only if it is still `expected`; false when someone changed it meanwhile. */
    replace: async (key: string, expected: string, value: string): Promise<boolean> =>
      (await db.systemSetting.updateMany({ where: { key, value: expected }, data: { value } })).count === 1,
  };
}

export type SettingsRepo = ReturnType<typeof createSettingsRepo>;
