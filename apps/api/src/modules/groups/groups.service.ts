import type { CreateGroupRequest, GroupListQuery, UpdateGroupRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import { changedFields, changeLog } from '../../lib/changes.js';
import type { AuditDetails, AuditService } from '../audit/index.js';
import { presentGroup, presentGroupDetail } from './groups.presenter.js';
import type { GroupsRepo } from './groups.repo.js';
import type { StepUpGuard } from '../step-up/index.js';

/**
 * User groups: principals of grants in the vault tree. A membership counts from the next request
 * on, in every process (rights are read from the database on each request, never cached).
 */
/**
 * A group carries grants, so changing its members, or deleting it, changes who may do what in the
 * vault: besides users.manage (the route's) it needs permissions.manage, so a token scoped to
 * managing users cannot hand out vault rights through a group.
 */
function assertMayChangeRights(ctx: RequestContext) {
  if (!ctx.actor?.permissions.has('permissions.manage')) {
    throw new AppError('FORBIDDEN', 'Changing a group changes rights in the vault: it also needs the permission permissions.manage');
  }
}

export function createGroupsService(deps: { repo: GroupsRepo; audit: AuditService; stepUp: StepUpGuard }) {
  async function detail(repo: Pick<GroupsRepo, 'get'>, id: string) {
    const row = await repo.get(id);
    if (!row) throw notFound('Group');
    return presentGroupDetail(row);
  }

  /** Makes the user a member of the group or not; audited only when that changes something. */
  async function setMembership(ctx: RequestContext, groupId: string, userId: string, member: boolean) {
    assertMayChangeRights(ctx);
    await deps.repo.transaction(async (repo, tx) => {
      const group = await repo.lock(groupId);
      if (!group) throw notFound('Group');
      const user = await repo.user(userId);
      if (!user) throw notFound('User');
      await deps.stepUp.require(ctx, tx);
      const changed = member ? await repo.addMember(groupId, userId) : await repo.removeMember(groupId, userId);
      if (!changed) return;
      await deps.audit.record(
        ctx,
        {
          action: member ? 'group.member.add' : 'group.member.remove',
          objectType: 'group',
          objectId: groupId,
          details: { group: group.name, userId, username: user.username, before: { member: !member }, after: { member } },
        },
        tx,
      );
    });
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
      assertMayChangeRights(ctx);
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

    addMember: (ctx: RequestContext, groupId: string, userId: string) => setMembership(ctx, groupId, userId, true),
    removeMember: (ctx: RequestContext, groupId: string, userId: string) => setMembership(ctx, groupId, userId, false),
  };
}

export type GroupsService = ReturnType<typeof createGroupsService>;
