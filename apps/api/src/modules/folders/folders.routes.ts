import { folderRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { FoldersService } from './folders.service.js';

export function folderBindings(deps: { folders: FoldersService }) {
  return [
    bind(folderRoutes.vault, ({ ctx }) => deps.folders.vault(ctx)),
    bind(folderRoutes.renameVault, ({ ctx, body }) => deps.folders.renameVault(ctx, body.name)),
    bind(folderRoutes.list, ({ ctx, query }) => deps.folders.list(ctx, query.parentId)),
    bind(folderRoutes.create, ({ ctx, body }) => deps.folders.create(ctx, body)),
    bind(folderRoutes.get, ({ ctx, params }) => deps.folders.get(ctx, params.id)),
    bind(folderRoutes.update, ({ ctx, params, body }) => deps.folders.update(ctx, params.id, body)),
    bind(folderRoutes.delete, ({ ctx, params, query }) => deps.folders.delete(ctx, params.id, query)),
  ];
}
