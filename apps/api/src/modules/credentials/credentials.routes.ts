import { credentialRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { CredentialsService } from './credentials.service.js';

export function credentialBindings(deps: { credentials: CredentialsService }) {
  return [
    bind(credentialRoutes.list, ({ ctx, params }) => deps.credentials.list(ctx, params.id)),
    bind(credentialRoutes.create, ({ ctx, params, body }) => deps.credentials.create(ctx, params.id, body)),
    bind(credentialRoutes.versions, ({ ctx, params }) => deps.credentials.versions(ctx, params.id)),
  ];
}
