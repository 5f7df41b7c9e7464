import type { DbClient } from '../../db/transaction.js';

/** An advisory-lock key of the scheduler's own ("PMsched"), so two processes never schedule timed checks at once. */
const SCHEDULER_LOCK = 0x504d7363686564;

/** A credential due for rotation by its policy. */
export interface DueRotation {
  accountId: string;
  credentialId: string;
  type: 'PASSWORD' | 'SSH_KEY';
  slot: string;
}

export function createScheduleRepo(db: DbClient) {
  return {
    /** Inside a transaction: true when this process may schedule now (held until commit). */
    tryLead: async () => {
      const [row] = await db.$queryRaw<{ led: boolean }[]>`SELECT pg_try_advisory_xact_lock(${SCHEDULER_LOCK}::bigint) AS led`;
      return row?.led === true;
    },

    /**
     * Accounts whose last check (or creation, if never checked) is older than `staleBefore`, that
     * have something to check, no job under way, and no check created since `staleBefore` — so a
     * host that is down is tried once per interval, not on every tick. Oldest first.
     */
    dueChecks: async (staleBefore: Date, limit: number) => {
      const rows = await db.$queryRaw<{ id: string }[]>`
        SELECT a.id::text AS id FROM accounts a
         WHERE coalesce(a.last_checked_at, a.created_at) < ${staleBefore}
           AND EXISTS (SELECT 1 FROM credentials c JOIN credential_versions v ON v.credential_id = c.id AND v.state = 'CURRENT'
                        WHERE c.account_id = a.id AND c.type <> 'PIN')
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.account_id = a.id
                            AND (j.state IN ('queued', 'running', 'unverified') OR (j.kind = 'CHECK' AND j.created_at >= ${staleBefore})))
         ORDER BY coalesce(a.last_checked_at, a.created_at), a.id
         LIMIT ${limit}`;
      return rows.map((r) => r.id);
    },

    /**
     * Per account, its credential (password or SSH key) that has been CURRENT longest, when that
     * is longer than its policy's rotation interval (the account's policy, else the default).
     * Only InSync accounts with no job under way, and none whose reset failed in the last day.
     */
    dueRotations: (now: Date, limit: number) =>
      db.$queryRaw<DueRotation[]>`
        SELECT DISTINCT ON (a.id) a.id::text AS "accountId", c.id::text AS "credentialId", c.type::text AS type, c.slot
          FROM accounts a
          JOIN policies p ON p.id = coalesce(a.policy_id, (SELECT id FROM policies WHERE is_default LIMIT 1))
          JOIN credentials c ON c.account_id = a.id AND c.type IN ('PASSWORD', 'SSH_KEY')
          JOIN credential_versions v ON v.credential_id = c.id AND v.state = 'CURRENT'
         WHERE p.rotation_interval_days IS NOT NULL
           AND v.state_changed_at < ${now}::timestamptz - p.rotation_interval_days * interval '1 day'
           AND a.status = 'InSync'
           AND NOT EXISTS (SELECT 1 FROM jobs j WHERE j.account_id = a.id
                            AND (j.state IN ('queued', 'running', 'unverified')
                                 OR (j.kind = 'RESET' AND j.state = 'failed' AND j.created_at > ${now}::timestamptz - interval '1 day')))
         ORDER BY a.id, v.state_changed_at
         LIMIT ${limit}`,
  };
}
export type ScheduleRepo = ReturnType<typeof createScheduleRepo>;
