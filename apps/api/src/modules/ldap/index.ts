/** LDAP / Active Directory: settings, connection test, directory login (just-in-time users) and the sync. */
export { createLdapRepo, type LdapRepo } from './ldap.repo.js';
export { createLdapService, type LdapService } from './ldap.service.js';
export { ldapBindings } from './ldap.routes.js';
export type { LdapSync } from './ldap-sync.js';
export { rewrapLdapBindPassword } from './ldap-settings.js';
