import { ldapRoutes } from '@passman/contracts';
import { bind } from '../../http/bind-routes.js';
import type { LdapService } from './ldap.service.js';

export function ldapBindings(deps: { ldap: LdapService }) {
  return [
    bind(ldapRoutes.getSettings, () => deps.ldap.getSettings()),
    bind(ldapRoutes.updateSettings, ({ ctx, body }) => deps.ldap.updateSettings(ctx, body)),
    bind(ldapRoutes.test, ({ body }) => deps.ldap.test(body)),
    bind(ldapRoutes.sync, ({ ctx }) => deps.ldap.runSync(ctx)),
  ];
}
