import { randomBytes } from 'node:crypto';
import type { Prisma } from '@passman/db';
import type { TestApi } from './harness.js';

/**
 * Rows for API tests, written straight through Prisma (no audit events, no HTTP), with
 * unique names so tests never collide. Override any column.
 */
const suffix = () => randomBytes(4).toString('hex');

export function createTarget(api: TestApi, overrides: Partial<Prisma.TargetUncheckedCreateInput> = {}) {
  const s = suffix();
  return api.db.target.create({
    data: { name: `target-${s}`, address: `host-${s}.test.internal`, ...overrides },
  });
}

/** An account on `targetId`, or on a new target when none is given. */
export async function createAccount(api: TestApi, targetId?: string, overrides: Partial<Prisma.AccountUncheckedCreateInput> = {}) {
  return api.db.account.create({
    data: { targetId: targetId ?? (await createTarget(api)).id, username: `u_${suffix()}`, ...overrides },
  });
}
