import { randomBytes } from 'node:crypto';
import { CreateUserRequestSchema, type RoleName } from '@passman/contracts';
import { createUsersRepo } from '../../modules/users/users.repo.js';
import { unique } from '../ids.js';
import type { TestApi } from '../test-api.js';

export interface TestUser {
  id: string;
  username: string;
  password: string;
  role: RoleName;
}

/**
 * A PassMan user of `role`, written by the users repo with the API's password hasher (no audit
 * event, so tests that read an object's events see only their own). Its password is returned for
 * logging in.
 */
export async function createUser(api: TestApi, role: RoleName = 'admin', overrides: { displayName?: string } = {}): Promise<TestUser> {
  const input = CreateUserRequestSchema.parse({
    username: unique(`u-${role}`).toLowerCase(),
    password: `pw-${randomBytes(12).toString('base64url')}`,
    role,
    ...overrides,
  });
  const row = await createUsersRepo(api.db).create({
    username: input.username,
    displayName: input.displayName ?? input.username,
    passwordHash: await api.services.hasher.hash(input.password),
    roleName: input.role,
  });
  return { id: row.id, username: input.username, password: input.password, role };
}
