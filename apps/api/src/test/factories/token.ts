import type { Permission, RoleName } from '@passman/contracts';
import { unique } from '../ids.js';
import type { TestApi } from '../test-api.js';
import { loginAs, type LoggedIn } from './session.js';

export interface TestToken {
  id: string;
  /** The secret, shown once; send it as `Authorization: Bearer <token>`. */
  token: string;
  expiresAt: string;
}

/** An API token created by `session` over HTTP, as a user creates one. */
export async function createToken(
  api: TestApi,
  session: LoggedIn,
  input: { scopes?: Permission[]; expiresInDays?: number; name?: string } = {},
): Promise<TestToken> {
  let scopes = input.scopes;
  if (!scopes) {
    const me = await session.agent.get('/api/v1/auth/me').expect(200);
    scopes = (me.body as { user: { permissions: Permission[] } }).user.permissions;
  }
  const res = await session.agent
    .post('/api/v1/tokens')
    .set('X-CSRF-Token', session.csrf)
    .send({ name: input.name ?? unique('token'), scopes, ...(input.expiresInDays ? { expiresInDays: input.expiresInDays } : {}) })
    .expect(201);
  const body = res.body as { id: string; token: string; expiresAt: string };
  return { id: body.id, token: body.token, expiresAt: body.expiresAt };
}

/** An API token for a new user of the role, with the given scopes (default: all the role has). */
export async function bearerFor(api: TestApi, role: RoleName = 'admin', scopes?: Permission[]): Promise<string> {
  return (await createToken(api, await loginAs(api, role), { scopes })).token;
}
