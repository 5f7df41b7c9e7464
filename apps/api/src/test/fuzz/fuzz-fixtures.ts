import { generateTestKeyPair } from '@passman/testkit';
import type { TestApi } from '../harness.js';
import { createUser, unique } from '../harness.js';
import type { FuzzCredentials } from './fuzz-client.js';

/** Real rows the fuzzer aims at, by the names that address them (path segments and field names). */
export type FuzzIds = Record<string, string[]>;

/** Adds a fresh set of rows to the live lists (in place: the arbitraries hold them). */
export function addIds(pools: FuzzIds, fresh: FuzzIds): void {
  for (const [name, ids] of Object.entries(fresh)) (pools[name] ??= []).push(...ids.filter((id) => !pools[name]!.includes(id)));
}

/** A row the run deleted leaves every list. */
export function dropId(pools: FuzzIds, id: string): boolean {
  let dropped = false;
  for (const ids of Object.values(pools)) {
    const at = ids.indexOf(id);
    if (at >= 0) {
      ids.splice(at, 1);
      dropped = true;
    }
  }
  return dropped;
}

/**
 * Logs an admin in (a browser session with its CSRF token) and gives another admin an API
 * token with every permission. The fuzzer acts as both; neither is among the rows it aims at,
 * so it cannot disable or revoke itself.
 */
export async function fuzzCredentials(api: TestApi): Promise<{ credentials: FuzzCredentials; relogin: () => Promise<void>; adminIds: string[] }> {
  const sessionAdmin = await createUser(api, 'admin');
  const tokenAdmin = await createUser(api, 'admin');
  const credentials: FuzzCredentials = { bearer: '', cookie: '', csrf: '' };
  const login = async (user: { username: string; password: string }) => {
    const res = await api.request().post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
    const cookie = ([] as string[]).concat(res.headers['set-cookie'] ?? [])[0]?.split(';')[0];
    if (!cookie) throw new Error('login set no cookie');
    return { cookie, csrf: (res.body as { csrfToken: string }).csrfToken };
  };
  const relogin = async () => {
    Object.assign(credentials, await login(sessionAdmin));
  };
  await relogin();
  const forToken = await login(tokenAdmin);
  const me = await api.request().get('/api/v1/auth/me').set('Cookie', forToken.cookie).expect(200);
  const token = await api
    .request()
    .post('/api/v1/tokens')
    .set('Cookie', forToken.cookie)
    .set('X-CSRF-Token', forToken.csrf)
    .send({ name: unique('fuzz'), scopes: (me.body as { user: { permissions: string[] } }).user.permissions })
    .expect(201);
  credentials.bearer = (token.body as { token: string }).token;
  return { credentials, relogin, adminIds: [sessionAdmin.id, tokenAdmin.id] };
}

/** A target (at an address where nothing listens), accounts with each kind of credential, a policy, operators, a token, a job and a batch. */
export async function fuzzFixtures(
  api: TestApi,
  credentials: FuzzCredentials,
  closedPort: { host: string; port: number },
  adminIds: string[],
): Promise<FuzzIds> {
  const call = (method: 'post' | 'patch', path: string, body: object) =>
    api.request()[method](`/api/v1${path}`).set('Authorization', `Bearer ${credentials.bearer}`).send(body);
  const created = async (method: 'post' | 'patch', path: string, body: object) => {
    const res = await call(method, path, body);
    if (res.status >= 300) throw new Error(`fixture ${method} ${path} failed: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body as { id: string };
  };
  const policy = await created('post', '/policies', { name: unique('fuzz-policy'), sshKeyType: 'ssh-ed25519' });
  // Several of each: the fuzzer deletes some of them early in a run.
  const targets = [];
  for (const tag of ['fuzz-a', 'fuzz-b', 'fuzz-c'])
    targets.push(await created('post', '/targets', { name: unique('fuzz-target'), address: closedPort.host, port: closedPort.port, tags: [tag] }));
  const accounts = [];
  for (const [i, target] of targets.entries()) {
    for (const username of [`fuzz_${i}a`, `fuzz_${i}b`])
      accounts.push(await created('post', '/accounts', { targetId: target.id, username, policyId: policy.id }));
  }
  const key = await generateTestKeyPair('ssh-ed25519');
  const credentialIds = [];
  for (const account of accounts) {
    credentialIds.push(
      (await created('post', `/accounts/${account.id}/credentials`, { type: 'PASSWORD', value: `Fuzz-Password-${account.id.slice(0, 8)}` })).id,
    );
    credentialIds.push((await created('post', `/accounts/${account.id}/credentials`, { type: 'PIN', value: '123456' })).id);
  }
  credentialIds.push((await created('post', `/accounts/${accounts[1]!.id}/credentials`, { type: 'SSH_KEY', privateKey: key.privateKey })).id);
  await created('patch', `/targets/${targets[0]!.id}`, { managingAccountId: accounts[1]!.id });
  const users = [await createUser(api, 'operator'), await createUser(api, 'auditor')].map((u) => u.id);
  const token = await created('post', '/tokens', { name: unique('fuzz-victim'), scopes: ['accounts.view'] });
  const job = await created('post', `/accounts/${accounts[0]!.id}/check`, {});
  const batch = await created('post', '/jobs/bulk', { kind: 'CHECK', accountIds: accounts.map((a) => a.id) });

  const accountIds = accounts.map((a) => a.id);
  return {
    targets: targets.map((t) => t.id),
    targetId: targets.map((t) => t.id),
    accounts: accountIds,
    accountId: accountIds,
    accountIds,
    managingAccountId: accountIds,
    credentials: credentialIds,
    credentialId: credentialIds,
    policies: [policy.id],
    policyId: [policy.id],
    users,
    actorId: [...users, ...adminIds],
    tokens: [token.id],
    jobs: [job.id],
    batches: [batch.id],
    batchId: [batch.id],
  };
}
