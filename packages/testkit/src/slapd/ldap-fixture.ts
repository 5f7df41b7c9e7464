import { randomBytes } from 'node:crypto';
import { Client } from 'ldapts';
import type { Slapd } from './slapd.js';

export const LDAP_BASE_DN = 'dc=passman,dc=test';

/** Passwords of the directory's people, random per run. */
export interface LdapPeople {
  reader: string;
  alice: string;
  bob: string;
  carol: string;
  /** The user literally named `*)(uid=*`. */
  star: string;
}

export function ldapPeople(): LdapPeople {
  const pw = () => `pw-${randomBytes(9).toString('base64url')}`;
  return { reader: pw(), alice: pw(), bob: pw(), carol: pw(), star: pw() };
}

/**
 * ou=people (alice: admins + ops; bob: ops; carol: disabled by employeeType; a user whose uid
 * is a filter-injection string), ou=groups, and a service account allowed to search.
 */
export function ldapFixture(people: LdapPeople, base = LDAP_BASE_DN): string {
  const person = (uid: string, cn: string, password: string, extra = '') =>
    `dn: uid=${uid},ou=people,${base}\nobjectClass: inetOrgPerson\nuid: ${uid}\ncn: ${cn}\nsn: ${cn.split(' ').pop()}\nuserPassword: ${password}\n${extra}`;
  return [
    `dn: ${base}\nobjectClass: dcObject\nobjectClass: organization\no: PassMan test\ndc: passman\n`,
    `dn: ou=people,${base}\nobjectClass: organizationalUnit\nou: people\n`,
    `dn: ou=groups,${base}\nobjectClass: organizationalUnit\nou: groups\n`,
    `dn: ou=system,${base}\nobjectClass: organizationalUnit\nou: system\n`,
    `dn: cn=reader,ou=system,${base}\nobjectClass: organizationalRole\nobjectClass: simpleSecurityObject\ncn: reader\nuserPassword: ${people.reader}\n`,
    person('alice', 'Alice Admin', people.alice),
    person('bob', 'Bob Operator', people.bob),
    person('carol', 'Carol Gone', people.carol, 'employeeType: disabled\n'),
    // uid is a directory string: the injection text is a legal value.
    `dn: cn=star,ou=people,${base}\nobjectClass: inetOrgPerson\nuid: *)(uid=*\ncn: Star\nsn: Star\nuserPassword: ${people.star}\n`,
    `dn: cn=passman-admins,ou=groups,${base}\nobjectClass: groupOfNames\ncn: passman-admins\nmember: uid=alice,ou=people,${base}\n`,
    `dn: cn=ops,ou=groups,${base}\nobjectClass: groupOfNames\ncn: ops\nmember: uid=alice,ou=people,${base}\nmember: uid=bob,ou=people,${base}\nmember: uid=carol,ou=people,${base}\n`,
    `dn: cn=auditors,ou=groups,${base}\nobjectClass: groupOfNames\ncn: auditors\nmember: cn=reader,ou=system,${base}\n`,
  ].join('\n');
}

/** The user filter of the tests: people not marked disabled. */
export const LDAP_USER_FILTER = '(&(objectClass=inetOrgPerson)(uid={username})(!(employeeType=disabled)))';
export const LDAP_GROUP_FILTER = '(&(objectClass=groupOfNames)(member={dn}))';

/** Runs `work` bound as the directory's manager (to change entries mid-test). */
export async function asManager<T>(slapd: Slapd, work: (client: Client) => Promise<T>): Promise<T> {
  const client = new Client({ url: slapd.url });
  try {
    await client.bind(slapd.rootDn, slapd.rootPassword);
    return await work(client);
  } finally {
    await client.unbind();
  }
}
