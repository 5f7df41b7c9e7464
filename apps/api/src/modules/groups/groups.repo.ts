import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { mapConstraintError } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import { containsPattern } from '../../lib/contains-pattern.js';

export interface GroupRow {
  id: string;
  name: string;
  description: string;
  memberCount: number;
  createdAt: Date;
  updatedAt: Date;
}

const groupSelect = { id: true, name: true, description: true, createdAt: true, updatedAt: true, _count: { select: { members: true } } } as const;

function groupsRepo(db: DbClient) {
  return {
    /** Groups by name. SQL, not the client's `contains`, which would let `%` and `_` in `q` match anything. */
    list: (filter: { q?: string | undefined; userId?: string | undefined }) => {
      const where: Prisma.Sql[] = [];
      if (filter.q) where.push(Prisma.sql`g.name ILIKE ${containsPattern(filter.q)}`);
      if (filter.userId) where.push(Prisma.sql`EXISTS (SELECT 1 FROM user_group_members m WHERE m.group_id = g.id AND m.user_id = ${filter.userId}::uuid)`);
      return db.$queryRaw<GroupRow[]>`
        SELECT g.id::text AS id, g.name, g.description, g.created_at AS "createdAt", g.updated_at AS "updatedAt",
               (SELECT count(*)::int FROM user_group_members m WHERE m.group_id = g.id) AS "memberCount"
          FROM user_groups g ${where.length > 0 ? Prisma.sql`WHERE ${Prisma.join(where, ' AND ')}` : Prisma.empty}
         ORDER BY g.name, g.id`;
    },

    get: (id: string) =>
      db.userGroup.findUnique({
        where: { id },
        select: {
          ...groupSelect,
          members: { orderBy: { user: { username: 'asc' } }, select: { createdAt: true, user: { select: { id: true, username: true, displayName: true } } } },
        },
      }),

    /** The group's row locked until the transaction ends (membership changes of one group run one at a time). */
    lock: async (id: string) =>
      (await db.$queryRaw<{ id: string; name: string }[]>`SELECT id::text AS id, name FROM user_groups WHERE id = ${id}::uuid FOR UPDATE`)[0] ?? null,

    create: (data: { name: string; description: string }) =>
      db.userGroup.create({ data, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, `A group ${data.name}`)),

    update: (id: string, data: { name?: string; description?: string }) =>
      db.userGroup.update({ where: { id }, data, select: { id: true } }).catch((e: unknown) => mapConstraintError(e, `A group ${data.name ?? ''}`.trim())),

    /** Deletes the group; its memberships and the grants made to it go with it (ON DELETE CASCADE). */
    delete: (id: string) => db.userGroup.delete({ where: { id }, select: { id: true } }),

    grantCount: (groupId: string) => db.grant.count({ where: { groupId } }),

    user: (id: string) => db.user.findUnique({ where: { id }, select: { id: true, username: true } }),

    /** Adds the member; false when they already were one. */
    addMember: async (groupId: string, userId: string) =>
      (await db.$executeRaw`INSERT INTO user_group_members (group_id, user_id) VALUES (${groupId}::uuid, ${userId}::uuid) ON CONFLICT DO NOTHING`) > 0,

    /** Removes the member; false when they were not one. */
    removeMember: async (groupId: string, userId: string) => (await db.userGroupMember.deleteMany({ where: { groupId, userId } })).count > 0,
  };
}

export const createGroupsRepo = (db: DbClient) => transactional(db, groupsRepo);
export type GroupsRepo = ReturnType<typeof createGroupsRepo>;
export type GroupDetailRow = NonNullable<Awaited<ReturnType<GroupsRepo['get']>>>;
