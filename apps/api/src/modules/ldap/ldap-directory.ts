import { isIP } from 'node:net';
import type { ConnectionOptions } from 'node:tls';
import { Client, InvalidCredentialsError, NoSuchObjectError, SizeLimitExceededError, type Entry } from 'ldapts';
import { asSingleLineText, DISPLAY_NAME_MAX_LENGTH } from '@passman/contracts';
import { anyUserFilter, fillFilter } from './ldap-filter.js';

/** What the directory client needs: the stored settings with the bind password opened. */
export interface DirectoryConfig {
  url: string;
  startTls: boolean;
  caCertificate: string;
  bindDn: string;
  bindPassword: string | null;
  baseDn: string;
  userFilter: string;
  usernameAttribute: string;
  displayNameAttribute: string;
  groupAttribute: string;
  groupSearchBase: string;
  groupFilter: string;
  timeoutMs?: number;
}

export interface DirectoryUser {
  dn: string;
  /** The username attribute's value, as the directory holds it. */
  username: string;
  displayName: string;
  /** DNs of the user's groups (from the group attribute and the group search). */
  groups: string[];
}

export type DirectoryErrorCode = 'LDAP_UNAVAILABLE' | 'LDAP_TLS_FAILED' | 'LDAP_BIND_FAILED' | 'LDAP_SEARCH_FAILED';

/** The directory could not answer. Its message names the failing step, never a password. */
export class DirectoryError extends Error {
  constructor(
    readonly code: DirectoryErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = 'DirectoryError';
  }
}

const TLS_ERROR = /CERT|SELF_SIGNED|UNABLE_TO|ALTNAME|ERR_TLS|ERR_SSL|EPROTO|HOSTNAME/i;

function classify(err: unknown, step: string): DirectoryError {
  if (err instanceof DirectoryError) return err;
  const code = (err as { code?: unknown }).code;
  const text = `${typeof code === 'string' ? code : ''} ${(err as Error).message ?? ''}`;
  if (TLS_ERROR.test(text)) return new DirectoryError('LDAP_TLS_FAILED', `TLS with the directory failed (${step}): ${(err as Error).message}`, { cause: err });
  if (typeof code === 'number') return new DirectoryError('LDAP_SEARCH_FAILED', `the directory refused the ${step}: ${(err as Error).message}`, { cause: err });
  return new DirectoryError('LDAP_UNAVAILABLE', `the directory is unreachable (${step}): ${(err as Error).message}`, { cause: err });
}

function firstString(entry: Entry, attribute: string): string {
  if (!attribute) return '';
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key ? entry[key] : undefined;
  const first = Array.isArray(value) ? value[0] : value;
  return first === undefined ? '' : first.toString();
}

function allStrings(entry: Entry, attribute: string): string[] {
  if (!attribute) return [];
  const key = Object.keys(entry).find((k) => k.toLowerCase() === attribute.toLowerCase());
  const value = key ? entry[key] : undefined;
  if (value === undefined) return [];
  return (Array.isArray(value) ? value : [value]).map((v) => v.toString());
}

export function transportOf(config: Pick<DirectoryConfig, 'url' | 'startTls'>): 'ldaps' | 'starttls' | 'none' {
  return /^ldaps:/i.test(config.url) ? 'ldaps' : config.startTls ? 'starttls' : 'none';
}

/**
 * One directory, reached with ldapts. Every operation opens its own connection (StartTLS
 * first when set), binds as the service account, works, and unbinds: nothing is shared
 * between logins, so a user's bind never leaves a connection authenticated as that user.
 */
export function createDirectory(config: DirectoryConfig) {
  const host = new URL(config.url.replace(/^ldaps?:/i, 'http:')).hostname.replace(/^\[|\]$/g, '');
  // Fresh for each connection (ldapts adds the socket to the object it is given). No `host`:
  // Node verifies the certificate against the connected host anyway, and would send an IP as SNI.
  const tlsOptions = (): ConnectionOptions => ({
    ca: config.caCertificate.trim() ? config.caCertificate : undefined,
    // SNI takes host names only.
    ...(isIP(host) ? {} : { servername: host }),
    minVersion: 'TLSv1.2',
  });
  const timeoutMs = config.timeoutMs ?? 10_000;

  async function connected<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const client = new Client({
      url: config.url,
      timeout: timeoutMs,
      connectTimeout: Math.min(timeoutMs, 5_000),
      // Only for ldaps://: ldapts given TLS options opens even an ldap:// connection with TLS, and StartTLS then fails.
      ...(transportOf(config) === 'ldaps' ? { tlsOptions: tlsOptions() } : {}),
    });
    try {
      if (transportOf(config) === 'starttls') {
        try {
          await client.startTLS(tlsOptions());
        } catch (err) {
          throw classify(err, 'StartTLS');
        }
      }
      try {
        // An empty bind DN is an anonymous search: allowed when the admin set no service account.
        if (config.bindDn && !config.bindPassword) throw new DirectoryError('LDAP_BIND_FAILED', 'a bind DN is set but no bind password is stored');
        if (config.bindDn) await client.bind(config.bindDn, config.bindPassword!);
      } catch (err) {
        if (err instanceof InvalidCredentialsError)
          throw new DirectoryError('LDAP_BIND_FAILED', 'the directory refused the service account (bind DN or password)', { cause: err });
        throw classify(err, 'service bind');
      }
      return await work(client);
    } finally {
      await client.unbind().catch(() => undefined);
    }
  }

  async function search(client: Client, base: string, filter: string, scope: 'base' | 'sub', attributes: string[], sizeLimit = 0): Promise<Entry[]> {
    try {
      const { searchEntries } = await client.search(base, { scope, filter, attributes, sizeLimit });
      return searchEntries;
    } catch (err) {
      if (err instanceof NoSuchObjectError) return [];
      throw classify(err, 'search');
    }
  }

  const userAttributes = () => [config.usernameAttribute, config.displayNameAttribute, config.groupAttribute].filter(Boolean);

  async function describe(client: Client, entry: Entry): Promise<DirectoryUser> {
    const username = firstString(entry, config.usernameAttribute);
    const groups = allStrings(entry, config.groupAttribute);
    if (config.groupFilter) {
      const filter = fillFilter(config.groupFilter, { dn: entry.dn, username });
      for (const group of await search(client, config.groupSearchBase || config.baseDn, filter, 'sub', ['1.1'])) groups.push(group.dn);
    }
    // The directory's text is shown in the console and the CLI, and written to logs: one line, as a request's would be.
    const displayName = asSingleLineText(firstString(entry, config.displayNameAttribute), DISPLAY_NAME_MAX_LENGTH).trim();
    return { dn: entry.dn, username, displayName: displayName || username, groups: [...new Set(groups)] };
  }

  return {
    transport: transportOf(config),

    /** Connects and binds as the service account: whether the directory answers at all. */
    ping: (): Promise<true> => connected(() => Promise.resolve(true as const)),

    /** The one user the filter finds for `username`; null when none or more than one (ambiguous is never a match). */
    findUser: (username: string): Promise<DirectoryUser | null> =>
      connected(async (client) => {
        const entries = await search(client, config.baseDn, fillFilter(config.userFilter, { username }), 'sub', userAttributes(), 2);
        return entries.length === 1 ? describe(client, entries[0]!) : null;
      }).catch((err: unknown) => {
        // Two or more matches exceed the size limit of 2: as ambiguous as two entries.
        if (err instanceof DirectoryError && err.cause instanceof SizeLimitExceededError) return null;
        throw err;
      }),

    /** The user at `dn` if it still matches the user filter (a disabled or moved user does not). */
    readUser: (dn: string): Promise<DirectoryUser | null> =>
      connected(async (client) => {
        const entries = await search(client, dn, anyUserFilter(config.userFilter), 'base', userAttributes());
        return entries.length === 1 ? describe(client, entries[0]!) : null;
      }),

    /** Looks each DN up over one connection; a DN missing from the map is gone from the directory. */
    readUsers: (dns: string[]): Promise<Map<string, DirectoryUser>> =>
      connected(async (client) => {
        const found = new Map<string, DirectoryUser>();
        for (const dn of dns) {
          const entries = await search(client, dn, anyUserFilter(config.userFilter), 'base', userAttributes());
          if (entries.length === 1) found.set(dn, await describe(client, entries[0]!));
        }
        return found;
      }),

    /**
     * Whether `password` is the user's: a simple bind as `dn`. An empty password is refused
     * without asking: to a directory it is an unauthenticated bind, which "succeeds" (RFC 4513).
     */
    async verifyPassword(dn: string, password: string): Promise<boolean> {
      if (!password || !dn) return false;
      return connected(async (client) => {
        try {
          await client.bind(dn, password);
          return true;
        } catch (err) {
          if (err instanceof InvalidCredentialsError) return false;
          throw classify(err, 'user bind');
        }
      });
    },

    /** How many users the filter finds (up to `limit`): for the admin's connection test. */
    countUsers: (limit = 1000): Promise<number> =>
      connected(async (client) => {
        try {
          const { searchEntries } = await client.search(config.baseDn, {
            scope: 'sub',
            filter: anyUserFilter(config.userFilter),
            attributes: ['1.1'],
            sizeLimit: limit,
          });
          return searchEntries.length;
        } catch (err) {
          if (err instanceof SizeLimitExceededError) return limit;
          if (err instanceof NoSuchObjectError) throw new DirectoryError('LDAP_SEARCH_FAILED', `the base DN ${config.baseDn} does not exist`, { cause: err });
          throw classify(err, 'search');
        }
      }),
  };
}

export type Directory = ReturnType<typeof createDirectory>;
