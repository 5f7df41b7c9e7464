/** A real OpenLDAP slapd for tests (its own config, free loopback ports, TLS from a CA made by node-forge) and a directory to load. */
export { startSlapd, makeTestPki, type Slapd, type TestPki } from './slapd.js';
export { asManager, ldapFixture, ldapPeople, LDAP_BASE_DN, LDAP_GROUP_FILTER, LDAP_USER_FILTER, type LdapPeople } from './ldap-fixture.js';
