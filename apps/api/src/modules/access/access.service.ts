import { randomBytes } from 'node:crypto';
import { ROLE_TREE_RIGHTS, VAULT_ACTIONS, rolePermissionFor, type VaultAction, type VaultObjectType } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import type { Actor, RequestContext } from '../../lib/actor.js';
import type { Tx } from '../../db/transaction.js';
import type { AccessQueries, AccessRepo, AtAccessEpoch, ObjectPath, TreeScope } from './access.repo.js';
import { createReachCache, type ReachCache } from './reach-cache.js';

export interface ObjectRef {
  type: VaultObjectType;
  id: string;
}

const NOUN: Record<VaultObjectType, string> = { folder: 'Folder', target: 'Target', account: 'Account' };

const VERB: Record<VaultAction, string> = {
  view: 'see',
  checkout: 'check out',
  check: 'check',
  reset: 'reset',
  update: 'change the credentials of',
  manage: 'manage',
  manage_permissions: 'manage the permissions of',
  approve: 'approve requests on',
};

/**
 * Rights in the vault tree, checked on every request: a grant, a move or a membership change
 * counts from the next request on, in every process. (A list's reach is kept between requests
 * only while the database's access epoch says nothing changed: reach-cache.ts.)
 *
 * A request may do `action` on an object when its role allows the action (for a token: its scopes
 * too; contracts `rolePermissionFor`) and the tree does: an administrator everything, an auditor
 * view, anyone else what their grants on the object and its ancestors yield, DENY winning. An
 * object the caller may not see answers 404, as if it did not exist; one they see but may not act
 * on, 403. A request without an actor is PassMan itself (scheduled jobs), which may do anything.
 */
export function createAccessService(deps: { repo: AccessRepo }) {
  const reaches = createReachCache();
  return {
    ...accessChecks(deps.repo, deps.repo.within, reaches),
    /**
     * The same checks read through `tx`: inside a transaction, asking on another connection could
     * wait for a free one forever. Nothing is kept from inside a transaction: it may see its own
     * changes, which a rollback would undo.
     */
    within: (tx: Tx) => accessChecks(deps.repo.within(tx), deps.repo.within, null),
  };
}

/** The checks over `repo`; `inTx` gives the queries of a transaction a change runs in. */
function accessChecks(repo: AccessQueries, inTx: (tx: Tx) => AccessQueries, reaches: ReachCache | null) {
  /** The scope list queries apply for this caller. */
  function scopeOf(actor: Actor | null): TreeScope {
    if (!actor) return { kind: 'all', rights: VAULT_ACTIONS };
    const fixed = ROLE_TREE_RIGHTS[actor.role];
    return fixed ? { kind: 'all', rights: fixed } : { kind: 'user', userId: actor.userId };
  }

  /**
   * `scopeOf` with the user's reach: for a list, whose filter and per-row rights then need no
   * query over the grants (reach.ts). Kept between requests while the access epoch stands.
   */
  async function listScopeOf(actor: Actor | null): Promise<TreeScope> {
    const scope = scopeOf(actor);
    if (scope.kind !== 'user') return scope;
    const read = () => repo.reachOf(scope.userId);
    return { ...scope, reach: await (reaches ? reaches.reachOf(scope.userId, () => repo.accessEpoch(), read) : read()) };
  }

  /**
   * A list read with the caller's reach, in one round trip when a reach is kept: `read` runs with
   * the kept reach and reads the access epoch in the same snapshot (`ACCESS_EPOCH_SQL`). If the
   * epoch is the one the reach stands for, nothing that shapes the reach changed before that
   * snapshot, so the list is exactly what a fresh reach would give; else it is read again with a
   * fresh reach. A reach is kept only with the epoch read before it, so a reach newer than its
   * epoch never passes: the epoch has moved past it for good.
   */
  async function listWithReach<T>(actor: Actor | null, read: (scope: TreeScope) => Promise<AtAccessEpoch<T>>): Promise<T> {
    const scope = scopeOf(actor);
    const kept = scope.kind === 'user' ? reaches?.kept(scope.userId) : undefined;
    if (scope.kind === 'user' && kept) {
      const result = await read({ ...scope, reach: kept.reach });
      if (result.accessEpoch === kept.epoch) return result.value;
    }
    return (await read(await listScopeOf(actor))).value;
  }

  /** The tree's rights narrowed to what the caller's role (and token) permits on this kind of object. */
  function withinRole(actor: Actor | null, type: VaultObjectType, rights: readonly string[]): VaultAction[] {
    const granted = new Set(rights);
    return VAULT_ACTIONS.filter((a) => granted.has(a) && (!actor || actor.permissions.has(rolePermissionFor(a, type))));
  }

  /** Whether the caller sees the object: view on it, or (targets, folders) on something below it. */
  async function sees(scope: TreeScope, ref: ObjectRef, rights: readonly VaultAction[]): Promise<boolean> {
    if (rights.includes('view')) return true;
    if (ref.type === 'account') return false;
    return repo.visibleThroughContent(scope, ref.type, ref.id);
  }

  /**
   * The caller's rights on an object: what the tree gives them (`tree`), and that narrowed by
   * their role and token (`rights`). 404 when it does not exist or the tree hides it from them.
   * Seeing is the tree's alone: the route already checked that the role may read this kind of data.
   */
  async function rightsOn(actor: Actor | null, ref: ObjectRef): Promise<{ path: ObjectPath; tree: readonly VaultAction[]; rights: VaultAction[] }> {
    const scope = scopeOf(actor);
    const found = await repo.objectRights(scope, ref.type, ref.id);
    if (!found) throw notFound(NOUN[ref.type]);
    const { path, tree } = found;
    if (!(await sees(scope, ref, tree))) throw notFound(NOUN[ref.type]);
    return { path, tree, rights: withinRole(actor, ref.type, tree) };
  }

  /**
   * Throws unless the caller may do `action` on the object: 404 when they may not see it, 403
   * when they see it but lack the right. Returns where the object sits in the tree.
   * `routePermission`: the route checked a role permission of its own for this action (approving
   * a host key needs `targets.trust`, not `targets.manage`), so only the tree is asked here.
   */
  async function require(ctx: RequestContext, ref: ObjectRef, action: VaultAction, options: { routePermission?: boolean } = {}): Promise<ObjectPath> {
    const { path, tree, rights } = await rightsOn(ctx.actor, ref);
    if (action === 'view') return path;
    if (!(options.routePermission ? tree : rights).includes(action)) {
      throw new AppError('FORBIDDEN', `You may not ${VERB[action]} this ${ref.type}`, { details: { action, objectType: ref.type } });
    }
    return path;
  }

  return {
    scopeOf,
    listScopeOf,
    listWithReach,
    withinRole,

    rightsOn,
    require,

    /**
     * As `require`, and also on everything below the object: deleting a folder or a target with
     * what it holds, or moving a folder's content up, must not reach objects where a DENY keeps
     * the caller out (an ALLOW above them is not enough).
     */
    async requireBelow(ctx: RequestContext, ref: { type: 'folder' | 'target'; id: string }, action: VaultAction): Promise<ObjectPath> {
      const path = await require(ctx, ref, action);
      const denied = await repo.deniedBelow(scopeOf(ctx.actor), ref.type, ref.id, action);
      // No count in the answer: it would tell how much is hidden below.
      if (denied > 0)
        throw new AppError('FORBIDDEN', `You may not ${VERB[action]} everything below this ${ref.type}`, { details: { action, objectType: ref.type } });
      return path;
    },

    /**
     * Runs `change` (inside `tx`, after the rows it changes are locked) and refuses it, rolling it
     * back, when it widened the caller's own rights on `scopeOf` — a folder, target or account whose
     * subtree the change touches: a move that sheds a DENY or lands under an ALLOW, a grant to
     * oneself or one's group, a DENY removed. Only what others may do can be changed; an
     * administrator, who may do everything, is never refused.
     */
    async withoutSelfWidening<T>(ctx: RequestContext, tx: Tx, areas: ObjectRef[], change: () => Promise<T>): Promise<T> {
      const scope = scopeOf(ctx.actor);
      if (scope.kind === 'all') return change();
      const repo = inTx(tx);
      const table = `passman_rights_before_${randomBytes(6).toString('hex')}`;
      await repo.snapshotRights(scope, areas, table);
      const result = await change();
      const widened = await repo.widenedSince(scope, areas, table);
      if (widened.length > 0) {
        throw new AppError('FORBIDDEN', `This change would widen your own rights (${widened.join(', ')}); someone else must make it`, {
          details: { widened },
        });
      }
      return result;
    },

    /**
     * Sorts the accounts of a bulk request: those the caller may do `action` on, and the others,
     * each with why (NOT_FOUND for an account that does not exist or that they may not see).
     */
    async sortAccounts(actor: Actor | null, accountIds: string[], action: VaultAction) {
      const roleAllows = !actor || actor.permissions.has(rolePermissionFor(action, 'account'));
      const rows = new Map((await repo.accountsRights(scopeOf(actor), accountIds, action)).map((r) => [r.id, r]));
      const allowed: string[] = [];
      const refused: { accountId: string; code: 'NOT_FOUND' | 'FORBIDDEN'; message: string }[] = [];
      for (const id of accountIds) {
        const row = rows.get(id);
        if (!row?.visible) refused.push({ accountId: id, code: 'NOT_FOUND', message: 'Account not found' });
        else if (!row.allowed || !roleAllows) refused.push({ accountId: id, code: 'FORBIDDEN', message: `You may not ${VERB[action]} this account` });
        else allowed.push(id);
      }
      return { allowed, refused };
    },

    rootFolderId: () => repo.rootFolderId(),
  };
}

export type AccessService = ReturnType<typeof createAccessService>;
