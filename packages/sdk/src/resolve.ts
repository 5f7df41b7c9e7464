import type { Account, Target } from '@passman/contracts';
import { NotFoundError } from './errors.js';
import type { RouteClients } from './routes.js';

/** The longest text filter the list routes take. */
const MAX_FILTER = 100;

type Lists = Pick<RouteClients, 'targets'>;

const notFound = (detail: string) => new NotFoundError({ status: 404, code: 'NOT_FOUND', detail });

/** The target of that exact name (names are unique), found through the list filter. */
export async function findTarget(client: Lists, name: string): Promise<Target> {
  const trimmed = name.trim();
  if (trimmed === '') throw new TypeError('a target name is needed');
  for await (const target of client.targets.list.all({ query: { q: trimmed.slice(0, MAX_FILTER), limit: 200 } })) {
    if (target.name === trimmed) return target;
  }
  throw notFound(`no target named ${JSON.stringify(trimmed)} that you may see`);
}

/**
 * The account a person names as `<target>/<username>` (as in `passman check web-01/deploy`): the
 * username is everything after the last slash (a POSIX user name has none), the target the rest.
 */
export async function findAccount(client: Lists, reference: string): Promise<Account> {
  const slash = reference.lastIndexOf('/');
  if (slash <= 0 || slash === reference.length - 1) {
    throw new TypeError(`expected <target>/<username>, got ${JSON.stringify(reference)}`);
  }
  const username = reference.slice(slash + 1);
  const target = await findTarget(client, reference.slice(0, slash));
  for await (const account of client.targets.accounts.all({ params: { id: target.id }, query: { q: username, limit: 200 } })) {
    if (account.username === username) return account;
  }
  throw notFound(`no account ${JSON.stringify(username)} on ${JSON.stringify(target.name)} that you may see`);
}
