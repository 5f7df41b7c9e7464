import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { accountAllowedSql, targetVisibleSql, type TreeScope } from '../access/index.js';
import { checkedOutSql, rotationOverdueSql } from '../accounts/index.js';
import { hostKeyPendingSql } from '../targets/index.js';

export interface DashboardCounts {
  total: number;
  inSync: number;
  notInSync: number;
  unknown: number;
  noncompliant: number;
  checkedOut: number;
  rotationOverdue: number;
  hostKeysPending: number;
  failedJobs: number;
  unverifiedJobs: number;
}

export interface ActivityRow {
  seq: string;
  at: Date;
  actorName: string;
  action: string;
  outcome: string;
  accountId: string | null;
  username: string | null;
  targetName: string | null;
}

/** A text that is a uuid, else NULL: audit details are free-form, and a bad cast must not fail the query. */
const asUuid = (text: Prisma.Sql) =>
  Prisma.sql`(CASE WHEN ${text} ~* '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$' THEN (${text})::uuid END)`;

export function createDashboardRepo(db: DbClient) {
  return {
    /**
     * Every count in one statement. Each uses the predicate its list filters by (the same SQL
     * fragments, the same visibility), so a count and the list it links to agree.
     */
    counts: async (scope: TreeScope, since: Date): Promise<DashboardCounts> => {
      const visible = accountAllowedSql(scope, 'view', 'a');
      const [row] = await db.$queryRaw<Record<keyof DashboardCounts, number>[]>`
        SELECT acc.*, tg."hostKeysPending", jb."failedJobs", jb."unverifiedJobs"
          FROM (SELECT count(*)::int AS total,
                       count(*) FILTER (WHERE a.status = 'InSync')::int AS "inSync",
                       count(*) FILTER (WHERE a.status = 'NotInSync')::int AS "notInSync",
                       count(*) FILTER (WHERE a.status = 'Unknown')::int AS unknown,
                       count(*) FILTER (WHERE a.compliance = 'Noncompliant')::int AS noncompliant,
                       count(*) FILTER (WHERE ${checkedOutSql('a')})::int AS "checkedOut",
                       count(*) FILTER (WHERE ${rotationOverdueSql('a')})::int AS "rotationOverdue"
                  FROM accounts a WHERE ${visible}) acc,
               (SELECT count(*)::int AS "hostKeysPending" FROM targets t WHERE ${targetVisibleSql(scope, 't')} AND ${hostKeyPendingSql('t')}) tg,
               (SELECT count(*) FILTER (WHERE j.state = 'failed' AND j.created_at >= ${since}::timestamptz)::int AS "failedJobs",
                       count(*) FILTER (WHERE j.state = 'unverified')::int AS "unverifiedJobs"
                  FROM jobs j JOIN accounts a ON a.id = j.account_id
                 WHERE j.state IN ('failed', 'unverified') AND ${visible}) jb`;
      return row!;
    },

    /**
     * The newest audit events since `since` about an account (the event's object, or the account
     * its details name) that `scope` may view; for a scope that sees everything, every event.
     */
    activity: (scope: TreeScope, since: Date, limit: number) => {
      const accountId = asUuid(Prisma.sql`CASE WHEN e.object_type = 'account' THEN e.object_id ELSE e.details->>'accountId' END`);
      const visible = scope.kind === 'all' ? Prisma.sql`TRUE` : Prisma.sql`a.id IS NOT NULL AND ${accountAllowedSql(scope, 'view', 'a')}`;
      return db.$queryRaw<ActivityRow[]>`
        SELECT e.seq::text AS seq, e.at, e.actor_name AS "actorName", e.action, e.outcome,
               a.id::text AS "accountId", a.username, a.target_name AS "targetName"
          FROM audit_events e LEFT JOIN accounts a ON a.id = ${accountId}
         WHERE e.at >= ${since}::timestamptz AND ${visible}
         ORDER BY e.seq DESC LIMIT ${limit}`;
    },

    /** A target by name in a folder (names are unique within a folder). */
    targetInFolder: async (name: string, folderId: string) =>
      (await db.target.findFirst({ where: { name, folderId }, select: { id: true, name: true } })) ?? null,
    accountOnTarget: async (targetId: string, username: string) =>
      (await db.account.findFirst({ where: { targetId, username }, select: { id: true, username: true } })) ?? null,
    passwordOf: async (accountId: string) => (await db.credential.findFirst({ where: { accountId, type: 'PASSWORD' }, select: { id: true } })) ?? null,
  };
}

export type DashboardRepo = ReturnType<typeof createDashboardRepo>;
