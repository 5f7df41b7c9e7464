import type { GrantEffect, PrincipalType, VaultAction, VaultObjectType } from '@passman/contracts';
import { createFoldersRepo } from '../../modules/folders/folders.repo.js';
import { createGroupsRepo } from '../../modules/groups/groups.repo.js';
import { unique } from '../ids.js';
import type { TestApi } from '../test-api.js';

/** A folder with a unique name under `parentId` (default: the root), written by the folders repo (no audit event). */
export async function createFolder(api: TestApi, overrides: { parentId?: string; name?: string } = {}) {
  const parentId = overrides.parentId ?? (await api.services.access.rootFolderId());
  const { id } = await createFoldersRepo(api.db).create({ parentId, name: overrides.name ?? unique('folder') });
  return api.db.folder.findUniqueOrThrow({ where: { id } });
}

/** A user group with a unique name and these members, written by the groups repo (no audit event). */
export async function createGroup(api: TestApi, memberIds: string[] = [], overrides: { name?: string } = {}) {
  const repo = createGroupsRepo(api.db);
  const { id } = await repo.create({ name: overrides.name ?? unique('group'), description: '' });
  for (const userId of memberIds) await repo.addMember(id, userId);
  return api.db.userGroup.findUniqueOrThrow({ where: { id } });
}

export interface GrantSpec {
  object: { type: VaultObjectType; id: string };
  principal: { type: PrincipalType; id: string };
  action: VaultAction;
  effect?: GrantEffect;
}

/** One grant (ALLOW unless told), added beside the object's others, written directly (no audit event). */
export async function createGrant(api: TestApi, spec: GrantSpec) {
  const column = { folder: 'folderId', target: 'targetId', account: 'accountId' }[spec.object.type];
  return api.db.grant.create({
    data: {
      [column]: spec.object.id,
      ...(spec.principal.type === 'user' ? { userId: spec.principal.id } : { groupId: spec.principal.id }),
      action: spec.action,
      effect: spec.effect ?? 'ALLOW',
    },
  });
}
