import { randomBytes } from 'node:crypto';
import type { PasswordHasher } from '../auth/password-hasher.js';
import type { AuditService } from '../audit/audit.service.js';
import { systemContext } from '../../lib/actor.js';
import type { UsersRepo } from './users.repo.js';

/**
 * On first start (no users at all) creates the admin. The password comes from
 * PASSMAN_ADMIN_PASSWORD, or is random and returned so main.ts can print it once.
 */
export async function ensureFirstAdmin(deps: {
  repo: UsersRepo;
  hasher: PasswordHasher;
  audit: AuditService;
  username: string;
  password?: string;
}): Promise<{ created: false } | { created: true; username: string; generatedPassword?: string }> {
  if ((await deps.repo.count()) > 0) return { created: false };
  const generatedPassword = deps.password ? undefined : randomBytes(18).toString('base64url');
  const passwordHash = await deps.hasher.hash(deps.password ?? generatedPassword!);
  await deps.repo.transaction(async (repo, tx) => {
    const user = await repo.create({ username: deps.username, displayName: 'Administrator', passwordHash, roleName: 'admin' });
    await deps.audit.record(
      systemContext('bootstrap'),
      { action: 'user.create', objectType: 'user', objectId: user.id, details: { username: user.username, role: 'admin', bootstrap: true } },
      tx,
    );
  });
  return { created: true, username: deps.username, generatedPassword };
}
