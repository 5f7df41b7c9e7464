import type { CreateGroupRequest, GroupListQuery, UpdateGroupRequest } from '@passman/contracts';
import { notFound } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import { changedFields, changeLog } from '../../lib/changes.js';
import type { AuditDetails, AuditService } from '../audit/index.js';
import { presentGroup, presentGroupDetail } from './groups.presenter.js';
import type { GroupsRepo } from './groups.repo.js';

/**
 * User groups: principals of grants in the vault tree. A membership counts from the next request
 * on, in every process (rights are read from the database on each request, never cached).
 */
export function createGroupsService(deps: { repo: GroupsRepo; audit: AuditService }) {
  async function detail(repo: Pick<GroupsRepo, 'get'>, id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound('Group');
    return presentGroupDetail(row);
  }

  return {
    list: async (query: GroupListQuery) => ({ items: (await deps.repo.list(query)).map(presentGroup) }),

    get: (id: string) => detail(deps.repo, id),

    async create(ctx: RequestContext, input: CreateGroupRequest) {
      return deps.repo.transaction(async (repo, tx) => {
        const { id } = await repo.create(input);
        await deps.audit.record(ctx, { action: 'group.create', objectType: 'group', objectId: id, details: { name: input.name } }, tx);
        return detail(repo, id);
      });
    },

    async update(ctx: RequestContext, id: string, input: UpdateGroupRequest) {
      return deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Group');
        const before = (await repo.get(id))!;
        const fields = changedFields(before, input);
        if (fields.length > 0) {
          await repo.update(id, Object.fromEntries(fields.map((f) => [f, input[f]])));
          await deps.audit.record(
            ctx,
            {
              action: 'group.update',
              objectType: 'group',
              objectId: id,
              details: {
                fields,
                changes: changeLog(
                  before,
                  input,
                  fields.filter((f) => f !== 'description'),
                ) as AuditDetails,
              },
            },
            tx,
          );
        }
        return detail(repo, id);
      });
    },

    /** Deletes the group with every grant made to it: its members lose what only it gave them. */
    async delete(ctx: RequestContext, id: string) {
      await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(id))) throw notFound('Group');
        const before = (await repo.get(id))!;
        const grants = await repo.grantCount(id);
        await repo.delete(id);
        await deps.audit.record(
          ctx,
          {
            action: 'group.delete',
            objectType: 'group',
            objectId: id,
            details: { name: before.name, members: before.members.map((m) => m.user.username), grants },
          },
          tx,
        );
      });
    },

    async addMember(ctx: RequestContext, groupId: string, userId: string) {
      await deps.repo.transaction(async (repo, tx) => {
        const group = await repo.lock(groupId);
        if (!group) throw notFound('Group');
        const user = await repo.user(userId);
        if (!user) throw notFound('User');
        if (!(await repo.addMember(groupId, userId))) return;
        await deps.audit.record(
          ctx,
          {
            action: 'group.member.add',
            objectType: 'group',
            objectId: groupId,
            details: { group: group.name, userId, username: user.username, before: { member: false }, after: { member: true } },
          },
          tx,
        );
      });
    },

    async removeMember(ctx: RequestContext, groupId: string, userId: string) {
      await deps.repo.transaction(async (repo, tx) => {
        const group = await repo.lock(groupId);
        if (!group) throw notFound('Group');
        const user = await repo.user(userId);
        if (!user) throw notFound('User');
        if (!(await repo.removeMember(groupId, userId))) return;
        await deps.audit.record(
          ctx,
          {
            action: 'group.member.remove',
            objectType: 'group',
            objectId: groupId,
            details: { group: group.name, userId, username: user.username, before: { member: true }, after: { member: false } },
          },
          tx,
        );
      });
    },
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
