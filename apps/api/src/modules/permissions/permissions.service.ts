import { createHash } from 'node:crypto';
import { grantsAllow, VAULT_ACTIONS, type EffectivePermissions, type Principal, type SetPermissionsRequest } from '@passman/contracts';
import { AppError } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import type { AccessService, ObjectRef } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import type { StepUpGuard } from '../step-up/index.js';
import { presentGrant } from './permissions.presenter.js';
import type { GrantRow, PermissionsRepo } from './permissions.repo.js';

const grantKey = (g: { principalType: string; principalId: string; action: string; effect: string }) =>
  `${g.principalType}:${g.principalId}:${g.action}:${g.effect}`;
/**
 * Names a set of direct grants by what it holds, so a client can say which set its change is based
 * on: equal sets have equal versions, whenever and however they were made.
 */
const versionOf = (grants: GrantRow[]) => createHash('sha256').update(grants.map(grantKey).sort().join('\n'), 'utf8').digest('hex').slice(0, 32);
const auditForm = (g: GrantRow) => ({ principal: { type: g.principalType, id: g.principalId, name: g.principalName }, action: g.action, effect: g.effect });

/**
 * The three views of who may do what on an object — the grants made on it (direct), those that
 * reach it from above (inherited), and what they yield for each user and group (effective) — and
 * the replacement of its direct grants. Seeing them needs view on the object; changing them,
 * manage_permissions.
 */
export function createPermissionsService(deps: { repo: PermissionsRepo; access: AccessService; audit: AuditService; stepUp: StepUpGuard }) {
  const { access } = deps;

  /** Who may do what on an object is shown to those who may view it, not to those who only pass through it. */
  async function viewable(ctx: RequestContext, ref: ObjectRef) {
    const { path, tree } = await access.rightsOn(ctx.actor, ref);
    if (!tree.includes('view')) throw new AppError('NOT_FOUND', `${ref.type[0]!.toUpperCase()}${ref.type.slice(1)} not found`);
    return path;
  }

  async function direct(ctx: RequestContext, ref: ObjectRef) {
    const path = await viewable(ctx, ref);
    const grants = await deps.repo.direct(ref.type, ref.id);
    return { object: { type: ref.type, id: ref.id, name: path.name }, grants: grants.map(presentGrant), version: versionOf(grants) };
  }

  return {
    direct,

    async set(ctx: RequestContext, ref: ObjectRef, request: SetPermissionsRequest) {
      await access.require(ctx, ref, 'manage_permissions');
      await deps.stepUp.require(ctx);
      const wanted = request.grants.map((g) => ({ principalType: g.principal.type, principalId: g.principal.id, action: g.action, effect: g.effect }));
      const known = await deps.repo.existing(
        wanted.filter((g) => g.principalType === 'user').map((g) => g.principalId),
        wanted.filter((g) => g.principalType === 'group').map((g) => g.principalId),
      );
      const unknown = request.grants.flatMap((g, i) =>
        (g.principal.type === 'user' ? known.users : known.groups).has(g.principal.id)
          ? []
          : [{ path: `body.grants.${i}.principal.id`, message: `no ${g.principal.type} with this id` }],
      );
      if (unknown.length > 0) throw new AppError('UNPROCESSABLE', 'Every grant must name an existing user or group', { errors: unknown });
      await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lockObject(ref.type, ref.id))) throw new AppError('NOT_FOUND', 'The object is gone');
        const before = await repo.direct(ref.type, ref.id);
        // Checked under the object's lock: two administrators editing from the same list cannot both win.
        if (request.expectedVersion !== undefined && request.expectedVersion !== versionOf(before)) {
          throw new AppError(
            'EDIT_CONFLICT',
            'The grants changed since you read them: nothing was changed. Read them again and make your change on what is there now',
          );
        }
        const beforeKeys = new Set(before.map(grantKey));
        const wantedKeys = new Set(wanted.map(grantKey));
        if (beforeKeys.size === wantedKeys.size && [...wantedKeys].every((k) => beforeKeys.has(k))) return;
        // Grants decide what others may do: the one making them may not widen their own rights by it.
        await access.withoutSelfWidening(ctx, tx, [ref], () => repo.replace(ref.type, ref.id, wanted, ctx.actor?.userId ?? null));
        const after = await repo.direct(ref.type, ref.id);
        await deps.audit.record(
          ctx,
          {
            action: 'permissions.set',
            objectType: ref.type,
            objectId: ref.id,
            details: {
              granted: after.filter((g) => !beforeKeys.has(grantKey(g))).map(auditForm),
              revoked: before.filter((g) => !wantedKeys.has(grantKey(g))).map(auditForm),
              before: before.map(auditForm),
              after: after.map(auditForm),
            },
          },
          tx,
        );
      });
      return direct(ctx, ref);
    },

    /**
     * Each principal that a grant on the object or an ancestor names, and each member of such a
     * group, with every action's result and the grants behind it (DENY wins).
     */
    async effective(ctx: RequestContext, ref: ObjectRef): Promise<EffectivePermissions> {
      const path = await viewable(ctx, ref);
      const grants = await deps.repo.grantsOnPath(path);
      const groupIds = [...new Set(grants.filter((g) => g.principalType === 'group').map((g) => g.principalId))];
      const members = await deps.repo.membersOf(groupIds);
      const principals = new Map<string, Principal>();
      const add = (p: Principal) => principals.set(`${p.type}:${p.id}`, p);
      for (const g of grants) add({ type: g.principalType, id: g.principalId, name: g.principalName });
      for (const m of members) add({ type: 'user', id: m.user.id, name: m.user.username });
      /** The grants that reach a principal: their own, and for a user, their groups'. */
      const reaching = (p: Principal) =>
        grants.filter(
          (g) =>
            (g.principalType === p.type && g.principalId === p.id) ||
            (p.type === 'user' && g.principalType === 'group' && members.some((m) => m.groupId === g.principalId && m.user.id === p.id)),
        );
      const isHere = (g: GrantRow) => g.objectType === ref.type && g.objectId === ref.id;
      const sorted = [...principals.values()].sort((a, b) => a.type.localeCompare(b.type) || a.name.localeCompare(b.name));
      return {
        object: { type: ref.type, id: ref.id, name: path.name },
        principals: sorted.map((principal) => {
          const mine = reaching(principal);
          return {
            principal,
            rights: VAULT_ACTIONS.map((action) => {
              const from = mine.filter((g) => g.action === action);
              return {
                action,
                allowed: grantsAllow(from.map((g) => g.effect)),
                from: from.map((g) => ({
                  grantId: g.id,
                  object: { type: g.objectType, id: g.objectId, name: g.objectName },
                  effect: g.effect,
                  inherited: !isHere(g),
                  via: { type: g.principalType, id: g.principalId, name: g.principalName },
                })),
              };
            }),
          };
        }),
      };
    },
  };
}

export type PermissionsService = ReturnType<typeof createPermissionsService>;
