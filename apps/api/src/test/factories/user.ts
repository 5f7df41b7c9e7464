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

/** The group the vault-tree migration made of every operator, allowed their role's actions on the whole vault. */
export const OPERATORS_GROUP = 'Operators';

/**
 * A PassMan user of `role`, written by the users repo with the API's password hasher (no audit
 * event, so tests that read an object's events see only their own). Its password is returned for
 * logging in. An operator joins the group Operators, so it may act anywhere in the vault as every
 * operator could before folders and permissions, unless `vaultRights: 'none'` (then only the
 * grants a test makes count).
 */
export async function createUser(
  api: TestApi,
  role: RoleName = 'admin',
  { vaultRights = 'operators-group', ...overrides }: { displayName?: string; vaultRights?: 'operators-group' | 'none' } = {},
): Promise<TestUser> {
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
  if (role === 'operator' && vaultRights === 'operators-group') {
    const group = await api.db.userGroup.findUniqueOrThrow({ where: { name: OPERATORS_GROUP } });
    await api.db.userGroupMember.create({ data: { groupId: group.id, userId: row.id } });
  }
  return { id: row.id, username: input.username, password: input.password, role };
}

/**
 * Many users at once (e.g. more than a page of a list), written by the users repo: one password
 * hash for all, since hashing each would cost most of a test's time. No group, no vault rights.
 */
export async function createUsers(
  api: TestApi,
  names: readonly { username: string; displayName?: string }[],
  role: RoleName = 'operator',
): Promise<TestUser[]> {
  const password = `pw-${randomBytes(12).toString('base64url')}`;
  const passwordHash = await api.services.hasher.hash(password);
  const repo = createUsersRepo(api.db);
  const users: TestUser[] = [];
  for (const name of names) {
    const input = CreateUserRequestSchema.parse({ ...name, password, role });
    const row = await repo.create({ username: input.username, displayName: input.displayName ?? input.username, passwordHash, roleName: role });
    users.push({ id: row.id, username: row.username, password, role });
  }
  return users;
}
