import type { Group, GroupDetail } from '@passman/contracts';
import type { GroupDetailRow, GroupRow } from './groups.repo.js';

export function presentGroup(row: GroupRow): Group {
  return {
    id: row.id,
    name: row.name,
    description: row.description,
    memberCount: row.memberCount,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}

export function presentGroupDetail(row: GroupDetailRow): GroupDetail {
  return {
    ...presentGroup({ ...row, memberCount: row._count.members }),
    members: row.members.map((m) => ({ id: m.user.id, username: m.user.username, displayName: m.user.displayName, addedAt: m.createdAt.toISOString() })),
  };
}
