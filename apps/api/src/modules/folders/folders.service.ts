import type { CreateFolderRequest, DeleteFolderQuery, UpdateFolderRequest } from '@passman/contracts';
import { AppError, notFound } from '../../lib/app-error.js';
import type { RequestContext } from '../../lib/actor.js';
import { hasSqlState, PASSMAN_SQLSTATES } from '../../db/pg-errors.js';
import type { AccessService } from '../access/index.js';
import type { AuditService } from '../audit/index.js';
import { presentFolder } from './folders.presenter.js';
import type { FolderRow, FoldersRepo } from './folders.repo.js';

const unprocessable = (path: string, message: string) => new AppError('UNPROCESSABLE', message, { errors: [{ path, message }] });

/**
 * The vault tree's folders. Creating needs manage on the parent; renaming, moving and deleting a
 * folder need manage on it (and a move, manage on the new parent too). The root (the Vault) is
 * renamed through PATCH /vault and never moved or deleted.
 */
export function createFoldersService(deps: { repo: FoldersRepo; access: AccessService; audit: AuditService }) {
  const { access } = deps;
  const present = (ctx: RequestContext, row: FolderRow) => presentFolder(row, access.withinRole(ctx.actor, 'folder', row.treeRights));
  /** The folder as the caller sees it now; one they no longer see after their change is shown without rights. */
  const reload = async (ctx: RequestContext, repo: Pick<FoldersRepo, 'get'>, id: string) =>
    (await repo.get(access.scopeOf(ctx.actor), id)) ?? { ...(await repo.get(access.scopeOf(null), id))!, treeRights: [] };

  async function get(ctx: RequestContext, id: string) {
    await access.rightsOn(ctx.actor, { type: 'folder', id });
    const row = await deps.repo.get(access.scopeOf(ctx.actor), id);
    if (!row) throw notFound('Folder');
    return present(ctx, row);
  }

  return {
    get,

    vault: async (ctx: RequestContext) => get(ctx, await access.rootFolderId()),

    async list(ctx: RequestContext, parentId?: string) {
      if (parentId) await access.rightsOn(ctx.actor, { type: 'folder', id: parentId });
      const rows = await deps.repo.list(await access.listScopeOf(ctx.actor), parentId);
      return { rootId: await access.rootFolderId(), items: rows.map((r) => present(ctx, r)) };
    },

    async create(ctx: RequestContext, input: CreateFolderRequest) {
      const parentId = input.parentId ?? (await access.rootFolderId());
      await access.require(ctx, { type: 'folder', id: parentId }, 'manage');
      const row = await deps.repo.transaction(async (repo, tx) => {
        if (!(await repo.lock(parentId))) throw notFound('Folder');
        const { id } = await repo.create({ parentId, name: input.name });
        await deps.audit.record(ctx, { action: 'folder.create', objectType: 'folder', objectId: id, details: { name: input.name, parentId } }, tx);
        return reload(ctx, repo, id);
      });
      return present(ctx, row);
    },

    async renameVault(ctx: RequestContext, name: string) {
      const rootId = await access.rootFolderId();
      await access.require(ctx, { type: 'folder', id: rootId }, 'manage');
      return this.update(ctx, rootId, { name });
    },

    async update(ctx: RequestContext, id: string, input: UpdateFolderRequest) {
      // A move changes what everything below inherits: all of it must be the caller's to manage.
      if (input.parentId) await access.requireBelow(ctx, { type: 'folder', id }, 'manage');
      else await access.require(ctx, { type: 'folder', id }, 'manage');
      if (input.parentId) await access.require(ctx, { type: 'folder', id: input.parentId }, 'manage');
      const row = await deps.repo.transaction(async (repo, tx) => {
        const before = await repo.lock(id);
        if (!before) throw notFound('Folder');
        if (input.name !== undefined && input.name !== before.name) {
          await repo.rename(id, input.name);
          const action = before.parentId === null ? 'vault.rename' : 'folder.rename';
          await deps.audit.record(
            ctx,
            { action, objectType: 'folder', objectId: id, details: { before: { name: before.name }, after: { name: input.name } } },
            tx,
          );
        }
        if (input.parentId !== undefined && input.parentId !== before.parentId) {
          if (before.parentId === null) throw unprocessable('body.parentId', 'The root of the vault cannot move');
          if (input.parentId === id || (await repo.isBelow(input.parentId, id))) {
            throw unprocessable('body.parentId', 'A folder cannot move into itself or below itself');
          }
          const parentId = input.parentId;
          // Moving may shed a DENY or land under an ALLOW: it must not widen the mover's own rights.
          await access.withoutSelfWidening(ctx, tx, [{ type: 'folder', id }], () =>
            repo.move(id, parentId, input.name ?? before.name).catch((error: unknown) => {
              // Two moves that together would make a cycle: the trigger refuses the second.
              if (hasSqlState(error, PASSMAN_SQLSTATES.folderCycle)) throw unprocessable('body.parentId', 'A folder cannot move into itself or below itself');
              throw error;
            }),
          );
          await deps.audit.record(
            ctx,
            {
              action: 'folder.move',
              objectType: 'folder',
              objectId: id,
              details: { name: input.name ?? before.name, before: { parentId: before.parentId }, after: { parentId: input.parentId } },
            },
            tx,
          );
        }
        return reload(ctx, repo, id);
      });
      return present(ctx, row);
    },

    async delete(ctx: RequestContext, id: string, { content }: DeleteFolderQuery) {
      // Whatever happens to the content, it must all be the caller's to manage (a DENY below is not overruled).
      await access.requireBelow(ctx, { type: 'folder', id }, 'manage');
      await deps.repo.transaction(async (repo, tx) => {
        const folder = await repo.lock(id);
        if (!folder) throw notFound('Folder');
        if (folder.parentId === null) throw new AppError('UNPROCESSABLE', 'The root of the vault cannot be deleted');
        const inside = await repo.content(id);
        const empty = inside.folders === 0 && inside.targets === 0;
        const removed = await repo.subtreeCounts(id);
        if (!empty && content === 'refuse') {
          throw new AppError('CONFLICT', `Folder ${folder.name} is not empty; move or delete what it holds (content=move or content=delete)`, {
            details: { folders: inside.folders, targets: inside.targets },
          });
        }
        if (!empty && content === 'move') {
          await access.within(tx).require(ctx, { type: 'folder', id: folder.parentId }, 'manage');
          // What moves up leaves this folder's grants (its DENYs too) behind: it must not widen the caller's rights.
          const children = await repo.children(id);
          const parentId = folder.parentId;
          await access.withoutSelfWidening(ctx, tx, children, () => repo.moveContentUp(id, parentId));
        }
        if (!empty && content === 'delete') await repo.deleteSubtree(id);
        else await repo.delete(id);
        await deps.audit.record(
          ctx,
          {
            action: 'folder.delete',
            objectType: 'folder',
            objectId: id,
            details: {
              name: folder.name,
              parentId: folder.parentId,
              content: empty ? 'empty' : content,
              ...(content === 'delete' ? { deleted: { folders: removed.folders - 1, targets: removed.targets, accounts: removed.accounts } } : {}),
              ...(content === 'move' && !empty ? { movedUp: inside } : {}),
            },
          },
          tx,
        );
      });
    },
  };
}

export type FoldersService = ReturnType<typeof createFoldersService>;
