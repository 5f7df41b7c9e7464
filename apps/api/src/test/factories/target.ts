import { CreateTargetRequestSchema } from '@passman/contracts';
import type { Prisma } from '@passman/db';
import { createTargetsRepo } from '../../modules/targets/targets.repo.js';
import { suffix } from '../ids.js';
import type { TestApi } from '../test-api.js';
import { splitOverrides } from './context.js';

const REQUEST_FIELDS = Object.keys(CreateTargetRequestSchema.shape);

/**
 * A target with a unique name, in the root folder unless told otherwise: the create request is validated (defaults filled) as the API does,
 * and written by the targets repo (no audit event). Overrides the request does not take
 * (createdAt, managingAccountId) are written to the row afterwards. Returns the database row.
 */
export async function createTarget(api: TestApi, overrides: Partial<Prisma.TargetUncheckedCreateInput> = {}) {
  const s = suffix();
  const { request, state } = splitOverrides(overrides, REQUEST_FIELDS);
  const input = CreateTargetRequestSchema.parse({ name: `target-${s}`, address: `host-${s}.test.internal`, ...request });
  const folderId = input.folderId ?? (await api.services.access.rootFolderId());
  const { id } = await createTargetsRepo(api.db).create({ ...input, folderId });
  if (Object.keys(state).length > 0) return api.db.target.update({ where: { id }, data: state });
  return api.db.target.findUniqueOrThrow({ where: { id } });
}
