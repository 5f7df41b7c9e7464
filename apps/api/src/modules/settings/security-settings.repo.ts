import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

/** The `system_settings` keys of the security settings; absent keys fall back to the environment. */
export const SECURITY_SETTING_KEYS = {
  sessionIdleMinutes: 'security.session_idle_minutes',
  sessionMaxHours: 'security.session_max_hours',
  stepUpWindowSeconds: 'security.step_up_window_seconds',
} as const;

export type SecuritySettingName = keyof typeof SECURITY_SETTING_KEYS;

function securitySettingsRepo(db: DbClient) {
  const keys = Object.values(SECURITY_SETTING_KEYS);
  return {
    /** The stored values by key, and when the newest of them changed. */
    async read(): Promise<{ values: Map<string, string>; updatedAt: Date | null }> {
      const rows = await db.systemSetting.findMany({ where: { key: { in: keys } } });
      const updatedAt = rows.reduce<Date | null>((latest, r) => (!latest || r.updatedAt > latest ? r.updatedAt : latest), null);
      return { values: new Map(rows.map((r) => [r.key, r.value])), updatedAt };
    },
    /** Serialises changes of the security settings (two administrators saving at once audit in order). */
    lock: () => db.$executeRaw`SELECT pg_advisory_xact_lock(hashtext('passman.security_settings'))`,
    put: (key: string, value: string) => db.systemSetting.upsert({ where: { key }, create: { key, value }, update: { value } }),
  };
}

export const createSecuritySettingsRepo = (db: DbClient) => transactional(db, securitySettingsRepo);
export type SecuritySettingsRepo = ReturnType<typeof createSecuritySettingsRepo>;
