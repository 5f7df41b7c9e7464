import { isDatabaseUnavailable } from '../../../db/database-unavailable.js';
import type { Logger } from 'pino';
import { createGroupCommit, type GroupCommit } from '../../../lib/group-commit.js';

/**
 * Writes what runs of jobs hand in — their ends, their promotions — in groups (lib/group-commit):
 * each group split into rounds with at most one item per account, each round one call of `write`
 * (one transaction). A round that fails is written again one item at a time, so that one bad item
 * does not fail the others; each item's failure is left on its `error` (a database that is gone
 * fails them all at once).
 */
export function createGroupedWrites<T extends { error?: unknown }>(
  write: (items: T[]) => Promise<void>,
  accountOf: (item: T) => string,
  log: { logger: Logger; what: string },
): GroupCommit<T> {
  return createGroupCommit<T>(async (items) => {
    for (const round of oneRunPerAccount(items, accountOf)) {
      try {
        await write(round);
      } catch (error) {
        if (round.length === 1 || isDatabaseUnavailable(error)) {
          for (const item of round) item.error = error;
          continue;
        }
        log.logger.warn({ err: error, items: round.length }, `writing ${log.what} together failed; writing each alone`);
        for (const item of round) await write([item]).catch((err: unknown) => (item.error = err));
      }
    }
  });
}

/** Splits a group so that no transaction writes two runs on one account (an UPDATE … FROM applies only one of them). */
function oneRunPerAccount<T>(items: T[], accountOf: (item: T) => string): T[][] {
  const rounds: T[][] = [];
  for (const item of items) {
    const round = rounds.find((r) => !r.some((other) => accountOf(other) === accountOf(item)));
    if (round) round.push(item);
    else rounds.push([item]);
  }
  return rounds;
}
