import { randomUUID } from 'node:crypto';
import type { Policy, ResetRequest, SshKeyType } from '@passman/contracts';
import type { Vault } from '@passman/vault';
import type { Logger } from 'pino';
import { runInTransaction, type DbClient } from '../../db/transaction.js';
import type { AuditService } from '../audit/audit.service.js';
import { systemContext } from '../../lib/actor.js';
import type { JobQueue } from '../jobs/job-queue.js';
import { createJobsRepo } from '../jobs/jobs.repo.js';
import { produceResetSecret, storePendingResets, type PendingReset } from '../jobs/reset-request.js';
import { createScheduleRepo, type DueRotation } from './schedule.repo.js';
import { memoize } from '../../lib/memoize.js';

export interface SchedulerOptions {
  /** Check every account at least this often (timed checks); null: never on a timer. */
  checkEveryMs: number | null;
  /** Rotate credentials as their policies' rotation intervals say (Generate and Save, Change on target). */
  rotate: boolean;
  tickMs: number;
  /** Caps per tick, so a large estate is worked through over several ticks instead of in one flood. */
  checksPerTick: number;
  rotationsPerTick: number;
}

export const DEFAULT_SCHEDULER_OPTIONS: SchedulerOptions = {
  checkEveryMs: 24 * 3_600_000,
  rotate: true,
  tickMs: 60_000,
  checksPerTick: 200,
  rotationsPerTick: 25,
};

/** What the scheduler writes in the audit trail as the actor of the jobs it starts. */
const SCHEDULER_ACTOR = 'scheduler';

/**
 * Starts the work nobody asks for: timed checks (every account proven at least once per
 * interval) and rotation (a credential older than its policy's rotation interval reset with a
 * generated secret, on the target). It only creates jobs — the workers run them, with the same
 * protocol, audit and crash safety as any other. Every worker process runs a scheduler; they
 * never start the same work twice (an advisory lock for checks, the account lock for resets).
 */
export function createScheduler(
  deps: {
    db: DbClient;
    vault: Vault;
    audit: AuditService;
    queue: Pick<JobQueue, 'name'>;
    policies: { effective(policyId: string | null): Promise<Policy> };
    logger: Logger;
  },
  options: SchedulerOptions = DEFAULT_SCHEDULER_OPTIONS,
) {
  const repo = createScheduleRepo(deps.db);

  /** One batch of timed checks; none when another process is scheduling at this moment. */
  async function scheduleChecks(now: Date): Promise<string[]> {
    if (options.checkEveryMs === null) return [];
    const staleBefore = new Date(now.getTime() - options.checkEveryMs);
    const ctx = systemContext(`schedule:check:${randomUUID()}`);
    return runInTransaction(deps.db, async (tx) => {
      const scheduleRepo = createScheduleRepo(tx);
      if (!(await scheduleRepo.tryLead())) return [];
      const candidates = await scheduleRepo.dueChecks(staleBefore, options.checksPerTick);
      if (candidates.length === 0) return [];
      const jobs = createJobsRepo(tx);
      // Lock order (db/transaction.ts): the accounts, in id order, before the jobs referring to them;
      // one deleted since it was read is left out. The audit chain last.
      const locked = new Set(await jobs.lockAccounts(candidates, 'key-share'));
      const due = candidates.filter((id) => locked.has(id));
      if (due.length === 0) return [];
      const batchId = randomUUID();
      const jobIds = due.map(() => randomUUID());
      await jobs.createBatch({ id: batchId, kind: 'CHECK', requestedById: null, total: due.length });
      await jobs.createMany(
        due.map((accountId, i) => ({ id: jobIds[i]!, kind: 'CHECK' as const, accountId, batchId, requestedById: null, queue: deps.queue.name })),
      );
      await deps.audit.record(
        ctx,
        {
          action: 'batch.create',
          objectType: 'batch',
          objectId: batchId,
          actorName: SCHEDULER_ACTOR,
          details: { kind: 'CHECK', total: due.length, scheduled: 'timed-check' },
        },
        tx,
      );
      return jobIds;
    });
  }

  /** Resets of the credentials whose rotation is due, one per account, grouped by kind of credential. */
  async function scheduleRotations(now: Date): Promise<string[]> {
    if (!options.rotate) return [];
    const due = await repo.dueRotations(now, options.rotationsPerTick);
    if (due.length === 0) return [];
    const accounts = new Map((await createJobsRepo(deps.db).jobSubjects(due.map((d) => d.accountId))).map((a) => [a.id, a]));
    const policyOf = memoize((id: string | null) => deps.policies.effective(id));
    const ctx = systemContext(`schedule:rotation:${randomUUID()}`);
    const queued: string[] = [];
    for (const group of groupByKind(due)) {
      const request = rotationRequest(group[0]!);
      const resets: PendingReset[] = [];
      for (const rotation of group) {
        const account = accounts.get(rotation.accountId);
        if (!account) continue; // deleted meanwhile
        try {
          resets.push(await produceResetSecret(account, { ...request, credentialId: rotation.credentialId }, await policyOf(account.policyId)));
        } catch (err) {
          deps.logger.warn({ err, accountId: account.id }, 'rotation: no new secret could be made; the account is left as it is');
        }
      }
      if (resets.length === 0) continue;
      // `request` names no credential: each reset carries its own (picked from credentialId above).
      const stored = await runInTransaction(deps.db, (tx) =>
        storePendingResets(deps, tx, ctx, { resets, request, onBusy: 'skip', actorName: SCHEDULER_ACTOR }),
      );
      queued.push(...stored.queued);
    }
    return queued;
  }

  let timer: NodeJS.Timeout | undefined;
  let ticking: Promise<void> | undefined;

  /** One round: schedules what is due (its jobs are queued as they are stored). Errors are logged; the next tick tries again. */
  async function tick(now = new Date()): Promise<{ checks: string[]; rotations: string[] }> {
    const [checks, rotations] = await Promise.all([
      scheduleChecks(now).catch((err: unknown) => (deps.logger.warn({ err }, 'scheduling timed checks failed'), [] as string[])),
      scheduleRotations(now).catch((err: unknown) => (deps.logger.warn({ err }, 'scheduling rotations failed'), [] as string[])),
    ]);
    const jobIds = [...checks, ...rotations];
    if (jobIds.length > 0) {
      deps.logger.info({ checks: checks.length, rotations: rotations.length }, 'scheduled jobs');
    }
    return { checks, rotations };
  }

  return {
    tick,
    start() {
      if (options.checkEveryMs === null && !options.rotate) return;
      timer = setInterval(() => {
        if (!ticking)
          ticking = tick()
            .then(() => undefined)
            .finally(() => (ticking = undefined));
      }, options.tickMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await ticking;
    },
  };
}

export type Scheduler = ReturnType<typeof createScheduler>;

function rotationRequest(rotation: DueRotation): ResetRequest {
  return {
    credentialType: rotation.type,
    ...(rotation.type === 'SSH_KEY' ? { sshKeyType: rotation.slot as SshKeyType } : {}),
    generate: true,
    changeOnTarget: true,
  };
}

/** storePendingResets takes one kind of credential per call: passwords, and keys of each type. */
function groupByKind(due: DueRotation[]): DueRotation[][] {
  const groups = new Map<string, DueRotation[]>();
  for (const d of due) groups.set(`${d.type}:${d.slot}`, [...(groups.get(`${d.type}:${d.slot}`) ?? []), d]);
  return [...groups.values()];
}
