import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import {
  asManager,
  LDAP_BASE_DN,
  LDAP_GROUP_FILTER,
  LDAP_USER_FILTER,
  ldapFixture,
  ldapPeople,
  makeTestPki,
  reserveClosedPort,
  startSlapd,
  type Slapd,
} from '@passman/testkit';
import { Client, ExtensibleFilter, FilterParser } from 'ldapts';
import { createDirectory, DirectoryError, type DirectoryConfig } from './ldap-directory.js';
import { escapeFilterValue, fillFilter } from './ldap-filter.js';

// The directory client against a real OpenLDAP slapd: binds, searches, TLS both ways, and the
// attacks a login form invites (filter injection, an empty password).

const people = ldapPeople();
let slapd: Slapd;
let config: DirectoryConfig;

beforeAll(async () => {
  slapd = await startSlapd({ baseDn: LDAP_BASE_DN, ldif: ldapFixture(people) });
  config = {
    url: slapd.url,
    startTls: true,
    caCertificate: slapd.pki.caPem,
    bindDn: `cn=reader,ou=system,${LDAP_BASE_DN}`,
    bindPassword: people.reader,
    baseDn: LDAP_BASE_DN,
    userFilter: LDAP_USER_FILTER,
    usernameAttribute: 'uid',
    displayNameAttribute: 'cn',
    groupAttribute: '',
    groupSearchBase: `ou=groups,${LDAP_BASE_DN}`,
    groupFilter: LDAP_GROUP_FILTER,
  };
});
afterAll(async () => {
  await slapd?.stop();
});

const groupDn = (cn: string) => `cn=${cn},ou=groups,${LDAP_BASE_DN}`;

describe('filters', () => {
  it('escapes every RFC 4515 special character and non-ASCII byte', () => {
    expect(escapeFilterValue('*)(uid=*')).toBe('\\2a\\29\\28uid=\\2a');
    expect(escapeFilterValue('a\\b\u0000é')).toBe('a\\5cb\\00\\c3\\a9');
    expect(fillFilter('(uid={username})', { username: 'x)(|(uid=*' })).toBe('(uid=x\\29\\28|\\28uid=\\2a)');
  });

  it('keeps Active Directory’s nested-group filter (matching rule in chain) one extensible match on the escaped DN', () => {
    const filter = FilterParser.parseString(fillFilter('(member:1.2.840.113556.1.4.1941:={dn})', { dn: 'CN=Smith\\, J (ops*),OU=Users,DC=corp' }));
    expect(filter).toBeInstanceOf(ExtensibleFilter);
    expect(filter).toMatchObject({ rule: '1.2.840.113556.1.4.1941', matchType: 'member' });
    expect((filter as ExtensibleFilter).value).toBe('CN=Smith\\, J (ops*),OU=Users,DC=corp');
  });
});

describe('over StartTLS', () => {
  it('finds a user with the service account, reads its groups and verifies its password', async () => {
    const directory = createDirectory(config);
    const alice = await directory.findUser('alice');
    expect(alice).toEqual({
      dn: `uid=alice,ou=people,${LDAP_BASE_DN}`,
      username: 'alice',
      displayName: 'Alice Admin',
      groups: expect.arrayContaining([groupDn('passman-admins'), groupDn('ops')]),
    });
    expect(alice!.groups).toHaveLength(2);
    expect(await directory.verifyPassword(alice!.dn, people.alice)).toBe(true);
    expect(await directory.verifyPassword(alice!.dn, people.bob)).toBe(false);
  });

  it('makes a display name one line of plain text: no escape sequence, no bidirectional control, at most 200 characters', async () => {
    await asManager(slapd, (c) =>
      c.add(`uid=mallory,ou=people,${LDAP_BASE_DN}`, {
        objectClass: 'inetOrgPerson',
        uid: 'mallory',
        // Reads as "Mallory admin" where it is shown, with the terminal's colours changed.
        cn: `Mallory \u001b[31m\u202enimda\u202c ${'x'.repeat(300)}`,
        sn: 'Mallory',
        userPassword: 'dir-password',
      }),
    );
    try {
      const mallory = await createDirectory(config).findUser('mallory');
      expect(mallory?.displayName).toBe(`Mallory [31mnimda ${'x'.repeat(300)}`.slice(0, 200));
    } finally {
      // The other tests count the directory's users.
      await asManager(slapd, (c) => c.del(`uid=mallory,ou=people,${LDAP_BASE_DN}`));
    }
  });

  it('never counts an empty password (an unauthenticated bind) as a success', async () => {
    const dn = `uid=alice,ou=people,${LDAP_BASE_DN}`;
    // The directory itself accepts it (RFC 4513 unauthenticated bind): only the client's refusal stands between.
    const raw = new Client({ url: slapd.url });
    await expect(raw.bind(dn, '')).resolves.toBeUndefined();
    await raw.unbind();
    expect(await createDirectory(config).verifyPassword(dn, '')).toBe(false);
  });

  it('takes a filter-injection username literally', async () => {
    const directory = createDirectory(config);
    // Unescaped, `(uid=*)(uid=*)` would match everyone; escaped it matches the one user named so.
    const star = await directory.findUser('*)(uid=*');
    expect(star?.dn).toBe(`cn=star,ou=people,${LDAP_BASE_DN}`);
    expect(await directory.findUser('*')).toBeNull();
    expect(await directory.findUser('al*')).toBeNull();
  });

  it('does not find a user the filter excludes (disabled in the directory)', async () => {
    const directory = createDirectory(config);
    expect(await directory.findUser('carol')).toBeNull();
    expect(await directory.readUser(`uid=carol,ou=people,${LDAP_BASE_DN}`)).toBeNull();
    expect((await directory.readUser(`uid=bob,ou=people,${LDAP_BASE_DN}`))?.username).toBe('bob');
    expect(await directory.readUser(`uid=nobody,ou=people,${LDAP_BASE_DN}`)).toBeNull();
    expect(await directory.countUsers()).toBe(3);
  });

  it('refuses a server whose certificate another CA signed', async () => {
    const directory = createDirectory({ ...config, caCertificate: makeTestPki().caPem });
    await expect(directory.findUser('alice')).rejects.toMatchObject({ code: 'LDAP_TLS_FAILED' });
  });

  it('reports a wrong service password as a bind failure', async () => {
    const directory = createDirectory({ ...config, bindPassword: 'wrong' });
    await expect(directory.findUser('alice')).rejects.toMatchObject({ code: 'LDAP_BIND_FAILED' });
  });
});

describe('groups from the memberOf attribute (as Active Directory lists them)', () => {
  it('reads the user entry’s memberOf, without a group search', async () => {
    const dn = `cn=memberof-readers,ou=groups,${LDAP_BASE_DN}`;
    await asManager(slapd, (c) => c.add(dn, { objectClass: 'groupOfNames', cn: 'memberof-readers', member: `uid=bob,ou=people,${LDAP_BASE_DN}` }));
    const directory = createDirectory({ ...config, groupAttribute: 'memberOf', groupFilter: '' });
    expect((await directory.findUser('bob'))?.groups).toEqual([dn]);
  });
});

describe('over LDAPS', () => {
  it('works with the CA, and fails closed without it', async () => {
    const ldaps = { ...config, url: slapd.ldapsUrl, startTls: false };
    expect((await createDirectory(ldaps).findUser('bob'))?.displayName).toBe('Bob Operator');
    await expect(createDirectory({ ...ldaps, caCertificate: '' }).findUser('bob')).rejects.toMatchObject({ code: 'LDAP_TLS_FAILED' });
  });
});

describe('an unreachable server', () => {
  it('answers LDAP_UNAVAILABLE', async () => {
    const closed = await reserveClosedPort();
    try {
      const directory = createDirectory({ ...config, url: `ldap://${closed.host}:${closed.port}` });
      const failure = await directory.findUser('alice').catch((err: unknown) => err);
      expect(failure).toBeInstanceOf(DirectoryError);
      expect(failure).toMatchObject({ code: 'LDAP_UNAVAILABLE' });
      expect(String((failure as Error).message)).not.toContain(people.reader);
    } finally {
      closed.release();
    }
  });
});
