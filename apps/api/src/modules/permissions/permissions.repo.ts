import type { GrantEffect, PrincipalType, VaultAction, VaultObjectType } from '@passman/contracts';
import { Prisma } from '@passman/db';
import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';
import type { ObjectPath } from '../access/index.js';

/** A grant with the names of its object and principal, as the permission views show it. */
export interface GrantRow {
  id: string;
  objectType: VaultObjectType;
  objectId: string;
  objectName: string;
  principalType: PrincipalType;
  principalId: string;
  principalName: string;
  action: VaultAction;
  effect: GrantEffect;
  createdAt: Date;
}

const objectColumn: Record<VaultObjectType, 'folderId' | 'targetId' | 'accountId'> = { folder: 'folderId', target: 'targetId', account: 'accountId' };

const OBJECT_COLUMN_SQL: Record<VaultObjectType, Prisma.Sql> = {
  folder: Prisma.sql`g.folder_id`,
  target: Prisma.sql`g.target_id`,
  account: Prisma.sql`g.account_id`,
};

function permissionsRepo(db: DbClient) {
  const grantsWhere = (where: Prisma.Sql) => db.$queryRaw<GrantRow[]>`
    SELECT g.id::text AS id,
           CASE WHEN g.folder_id IS NOT NULL THEN 'folder' WHEN g.target_id IS NOT NULL THEN 'target' ELSE 'account' END AS "objectType",
           COALESCE(g.folder_id, g.target_id, g.account_id)::text AS "objectId",
           COALESCE(f.name, t.name, a.username) AS "objectName",
           CASE WHEN g.user_id IS NOT NULL THEN 'user' ELSE 'group' END AS "principalType",
           COALESCE(g.user_id, g.group_id)::text AS "principalId",
           COALESCE(u.username, ug.name) AS "principalName",
           g.action::text AS action, g.effect::text AS effect, g.created_at AS "createdAt"
      FROM grants g
      LEFT JOIN folders f ON f.id = g.folder_id LEFT JOIN targets t ON t.id = g.target_id LEFT JOIN accounts a ON a.id = g.account_id
      LEFT JOIN users u ON u.id = g.user_id LEFT JOIN user_groups ug ON ug.id = g.group_id
     WHERE ${where}
     ORDER BY "principalType", "principalName", g.action`;

  return {
    /** Grants on the objects of a path: the account, its target, and the folder with every ancestor. */
    grantsOnPath: (path: ObjectPath) =>
      grantsWhere(Prisma.sql`g.account_id = ${path.accountId}::uuid OR g.target_id = ${path.targetId}::uuid
        OR g.folder_id IN (SELECT c.ancestor_id FROM folder_closure c WHERE c.descendant_id = ${path.folderId}::uuid)`),

    /** The grants made directly on one object. */
    direct: (type: VaultObjectType, id: string) => grantsWhere(Prisma.sql`${OBJECT_COLUMN_SQL[type]} = ${id}::uuid`),

    /** The members of the groups (group id → their users). */
    membersOf: async (groupIds: string[]) =>
      db.userGroupMember.findMany({ where: { groupId: { in: groupIds } }, select: { groupId: true, user: { select: { id: true, username: true } } } }),

    /** Which of these users and groups exist. */
    existing: async (userIds: string[], groupIds: string[]) => ({
      users: new Set((await db.user.findMany({ where: { id: { in: userIds } }, select: { id: true } })).map((u) => u.id)),
      groups: new Set((await db.userGroup.findMany({ where: { id: { in: groupIds } }, select: { id: true } })).map((g) => g.id)),
    }),

    /** Locks the object's row until the transaction ends: two replacements of its grants run one after the other. */
    lockObject: async (type: VaultObjectType, id: string) => {
      const rows =
        type === 'folder'
          ? await db.$queryRaw<{ id: string }[]>`SELECT id FROM folders WHERE id = ${id}::uuid FOR UPDATE`
          : type === 'target'
            ? await db.$queryRaw<{ id: string }[]>`SELECT id FROM targets WHERE id = ${id}::uuid FOR UPDATE`
            : await db.$queryRaw<{ id: string }[]>`SELECT id FROM accounts WHERE id = ${id}::uuid FOR UPDATE`;
      return rows.length > 0;
    },

    /** Replaces the object's direct grants with these. */
    replace: async (
      type: VaultObjectType,
      id: string,
      grants: { principalType: PrincipalType; principalId: string; action: VaultAction; effect: GrantEffect }[],
      createdById: string | null,
    ) => {
      await db.grant.deleteMany({ where: { [objectColumn[type]]: id } });
      await db.grant.createMany({
        data: grants.map((g) => ({
          [objectColumn[type]]: id,
          ...(g.principalType === 'user' ? { userId: g.principalId } : { groupId: g.principalId }),
          action: g.action,
          effect: g.effect,
          createdById,
        })),
      });
    },
  };
}

export const createPermissionsRepo = (db: DbClient) => transactional(db, permissionsRepo);
export type PermissionsRepo = ReturnType<typeof createPermissionsRepo>;
