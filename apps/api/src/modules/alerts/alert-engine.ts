import { randomUUID } from 'node:crypto';
import type { AlertRule } from '@passman/contracts';
import type { Logger } from 'pino';
import { createGroupCommit } from '../../lib/group-commit.js';
import type { OutgoingEvent, WebhooksRepo } from '../webhooks/index.js';
import { alertEffectOf, DEFAULT_ROTATION_GRACE_MS, summaryOf, type JobEndedNotice } from './alert-rules.js';
import { presentAlert } from './alerts.presenter.js';
import type { AlertRow, AlertsRepo, EvaluationScope, Finding } from './alerts.repo.js';

export interface AlertEngineOptions {
  /** How long past its rotation interval a credential may go before rotation_overdue (PASSMAN_ALERT_ROTATION_GRACE_HOURS). */
  rotationGraceMs: number;
  /** How often the worker sweeps every rule (the time-based ones have no event of their own). */
  sweepEveryMs: number;
}

export const DEFAULT_ALERT_ENGINE_OPTIONS: AlertEngineOptions = { rotationGraceMs: DEFAULT_ROTATION_GRACE_MS, sweepEveryMs: 60_000 };

const RULES_ON_ACCOUNTS: AlertRule[] = ['rotation_overdue', 'not_in_sync', 'job_unverified', 'checkout_overdue'];

/**
 * Finds what holds now and makes the alerts say so: one evaluation, for everything (the sweep)
 * or for the accounts an event touched (a job's end) and their targets. An alert opens when its
 * condition holds and none is open for that rule and object, and is resolved when it no longer
 * holds; each change goes into the webhook outbox in the same transaction.
 */
export function createAlertEngine(
  deps: { repo: AlertsRepo; webhooks: Pick<WebhooksRepo, 'within'>; logger: Logger },
  options: AlertEngineOptions = DEFAULT_ALERT_ENGINE_OPTIONS,
) {
  const { repo } = deps;

  async function findAll(r: Pick<AlertsRepo, 'findings'>, scope: EvaluationScope, now: Date): Promise<Map<AlertRule, Finding[]>> {
    const f = r.findings;
    // One after the other: they run on the transaction's one connection.
    const rotation = await f.rotationOverdue(scope, now, options.rotationGraceMs);
    const notInSync = await f.notInSync(scope);
    const unverified = await f.jobUnverified(scope);
    const checkout = await f.checkoutOverdue(scope, now);
    const hostKeys = await f.hostKeyChanged(scope);
    const iso = (d: Date | null) => d?.toISOString() ?? null;
    return new Map<AlertRule, Finding[]>([
      [
        'rotation_overdue',
        rotation.map((r) => ({
          rule: 'rotation_overdue',
          accountId: r.accountId,
          targetId: r.targetId,
          objectName: r.objectName,
          details: { since: iso(r.since), intervalDays: r.intervalDays, credentialType: r.type, lastReset: r.lastReset ?? null },
        })),
      ],
      [
        'not_in_sync',
        notInSync.map((r) => ({
          rule: 'not_in_sync',
          accountId: r.accountId,
          targetId: r.targetId,
          objectName: r.objectName,
          details: { reason: r.reason, checkedAt: iso(r.checkedAt) },
        })),
      ],
      [
        'job_unverified',
        unverified.map((r) => ({
          rule: 'job_unverified',
          accountId: r.accountId,
          targetId: r.targetId,
          objectName: r.objectName,
          details: { jobId: r.jobId, errorCode: r.errorCode },
        })),
      ],
      [
        'checkout_overdue',
        checkout.map((r) => ({
          rule: 'checkout_overdue',
          accountId: r.accountId,
          targetId: r.targetId,
          objectName: r.objectName,
          details: { dueAt: iso(r.dueAt), holder: r.holder },
        })),
      ],
      [
        'host_key_changed',
        hostKeys.map((r) => ({
          rule: 'host_key_changed',
          accountId: null,
          targetId: r.targetId,
          objectName: r.objectName,
          details: { fingerprint: r.fingerprint, algorithm: r.algorithm, accountsRefused: r.accountsRefused },
        })),
      ],
    ]);
  }

  /** One evaluation; returns the ids of the alerts it opened and resolved. */
  async function evaluate(scope: EvaluationScope, now = new Date()): Promise<{ opened: string[]; resolved: string[] }> {
    if (scope.kind === 'accounts' && scope.accountIds.length === 0) return { opened: [], resolved: [] };
    return repo.transaction(async (r, tx) => {
      // A sweep covers everything: one at a time is enough, the others skip their turn.
      if (scope.kind === 'all' && !(await r.tryLeadSweep())) return { opened: [], resolved: [] };
      const found = await findAll(r, scope, now);
      const opened: string[] = [];
      const resolved: string[] = [];
      for (const rule of [...RULES_ON_ACCOUNTS, 'host_key_changed' as const]) {
        const list = found.get(rule) ?? [];
        opened.push(
          ...(await r.open(
            list.map((f) => ({ ...f, summary: summaryOf(rule, f.objectName, f.details) })),
            now,
          )),
        );
        const holding = list.map((f) => f.accountId ?? f.targetId);
        resolved.push(...(await r.resolveOthers(rule, scope, holding, now)));
      }
      const changed = await r.byIds([...opened, ...resolved]);
      const events: OutgoingEvent[] = changed.map((row) => {
        const eventId = randomUUID();
        const type = row.state === 'open' ? 'alert.opened' : 'alert.resolved';
        return { eventId, type, rule: row.rule, payload: alertEventPayload(eventId, type, now, row) };
      });
      await deps.webhooks.within(tx).enqueue(events);
      return { opened, resolved };
    });
  }

  // The ends of many jobs at once are evaluated together. Those that can only resolve an alert
  // are evaluated only where one is open: after a fleet's rotation, most accounts have none.
  const pending = new Set<string>();
  const resolveOnly = new Set<string>();
  const group = createGroupCommit<string>(async () => {
    const ids = [...pending];
    const maybe = [...resolveOnly].filter((id) => !pending.has(id));
    pending.clear();
    resolveOnly.clear();
    const withAlerts = maybe.length > 0 ? await repo.withOpenAlerts(maybe) : [];
    await evaluate({ kind: 'accounts', accountIds: [...ids, ...withAlerts] });
  });

  let timer: NodeJS.Timeout | undefined;
  let sweeping: Promise<unknown> | undefined;

  return {
    evaluate,
    /** The sweep: every rule over everything (time-based rules have no event; it also heals anything an event missed). */
    sweep: (now = new Date()) => evaluate({ kind: 'all' }, now),
    /** After a job ended: its account's alerts, soon, together with others', unless the end cannot change them. Never throws. */
    async jobEnded(end: JobEndedNotice): Promise<void> {
      const effect = alertEffectOf(end);
      if (effect === 'none') return;
      const { accountId } = end;
      (effect === 'any' ? pending : resolveOnly).add(accountId);
      await group.add(accountId).catch((err: unknown) => deps.logger.warn({ err, accountId }, 'evaluating alerts failed; the sweep will try again'));
    },
    start() {
      timer = setInterval(() => {
        sweeping ??= evaluate({ kind: 'all' })
          .catch((err: unknown) => deps.logger.warn({ err }, 'the alert sweep failed; trying again next time'))
          .finally(() => (sweeping = undefined));
      }, options.sweepEveryMs);
      timer.unref();
    },
    async stop() {
      clearInterval(timer);
      await sweeping;
      await group.drain();
    },
  };
}

export type AlertEngine = ReturnType<typeof createAlertEngine>;

/** The body a webhook receives (docs/alerts.md): the event, and the alert as the API shows it, without the reader's `read`. */
function alertEventPayload(eventId: string, type: string, at: Date, row: AlertRow): Record<string, unknown> {
  const { read: _read, ...alert } = presentAlert(row);
  return { id: eventId, type, createdAt: at.toISOString(), alert };
}
