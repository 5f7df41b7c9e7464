import type { DbClient } from '../../db/transaction.js';
import { transactional } from '../../db/transactional.js';

function stepUpRepo(db: DbClient) {
  return {
    /** Read fresh on each sensitive action (no session cache), so a re-authentication counts at once in every process. */
    proofTimes: (sessionId: string): Promise<{ authenticatedAt: Date; secondFactorAt: Date | null } | null> =>
      db.session.findUnique({ where: { id: sessionId }, select: { authenticatedAt: true, secondFactorAt: true } }),

    userForReauth: (userId: string) =>
      db.user.findUnique({ where: { id: userId }, select: { id: true, username: true, passwordHash: true, disabledAt: true } }),

    /**
     * Marks the session as just authenticated, only while it still belongs to `userId` and the
     * password is still the one checked (a change of password ends the sessions; none is revived).
     * `secondFactor`: the proof was a second factor, so its time moves too.
     */
    async markAuthenticated(sessionId: string, userId: string, passwordHash: string, at: Date, secondFactor: boolean): Promise<boolean> {
      const count = await db.$executeRaw`
        UPDATE sessions s SET authenticated_at = GREATEST(s.authenticated_at, ${at}),
               second_factor_at = CASE WHEN ${secondFactor}::boolean THEN GREATEST(s.second_factor_at, ${at}) ELSE s.second_factor_at END
          FROM users u
         WHERE s.id = ${sessionId}::uuid AND s.user_id = ${userId}::uuid AND u.id = s.user_id
           AND u.password_hash = ${passwordHash} AND u.disabled_at IS NULL`;
      return count === 1;
    },
  };
}

export const createStepUpRepo = (db: DbClient) => transactional(db, stepUpRepo);
export type StepUpRepo = ReturnType<typeof createStepUpRepo>;
