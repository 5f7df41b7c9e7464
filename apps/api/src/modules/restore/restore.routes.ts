import { historyRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { RestoreService } from './restore.service.js';

export function restoreBindings(deps: { restore: RestoreService }) {
  return [bind(historyRoutes.restore, ({ ctx, params, body }) => deps.restore.restore(ctx, params.id, params.version, body))];
}
