import type { RoleName } from '@passman/contracts';
import type supertest from 'supertest';
import type { TestApi } from '../test-api.js';
import { createUser, type TestUser } from './user.js';

export interface LoggedIn {
  user: TestUser;
  /** A supertest agent holding the session cookie; use `csrf` on unsafe methods. */
  agent: supertest.Agent;
  csrf: string;
}

/** A session made the only way PassMan makes one: a new user of `role` logs in over HTTP. */
export async function loginAs(api: TestApi, role: RoleName = 'admin'): Promise<LoggedIn> {
  const user = await createUser(api, role);
  return loginWith(api, user);
}

/** A new session of an existing user (each login is a session of its own). */
export async function loginWith(api: TestApi, user: TestUser): Promise<LoggedIn> {
  const agent = api.request();
  const res = await agent.post('/api/v1/auth/login').send({ username: user.username, password: user.password }).expect(200);
  return { user, agent, csrf: (res.body as { csrfToken: string }).csrfToken };
}
